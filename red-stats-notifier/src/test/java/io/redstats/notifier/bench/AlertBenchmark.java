package io.redstats.notifier.bench;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Alert throughput and event-to-alert latency of one notifier node, measured at real WebSocket
 * clients. Starts Kafka and PostgreSQL from the test harness and the packaged node as its own JVM
 * (full JIT, {@link #NODE_HEAP} heap, not the tests' C1-only 256 MB), connects SUBSCRIBERS clients
 * at a bounded rate, publishes EVENTS_PER_SECOND canonical events for SECONDS after a warm-up, and
 * prints {@code key=value} lines (the module README lists the keys).
 *
 * <p>Arguments: {@code subscribers eventsPerSecond seconds clientIds}. Subscribers are spread over
 * {@code clientIds} client ids (visibility own) with thresholds spread evenly over [0, 1) within
 * each client id; events go to the same client ids with red uniform in [0, 1], so an event alerts
 * about half of its client id's subscribers. One subscriber per client id (the default) gives about
 * one alert per event; one client id gives about subscribers / 2 alerts per event.
 *
 * <p>The benchmark knows every subscriber's threshold, so it computes the alerts every event is due
 * (warm-up included), waits until all of them arrived (or stopped arriving), and exits with status
 * 1 and {@code check=FAILED ...} when any is missing or extra: a node, a client or a measuring
 * window that loses alerts cannot pass as a slow node. Throughput is every alert that arrived
 * between the window start and the last arrival, over that time: the node's delivery rate while it
 * is saturated (a backlog of warm-up alerts counts, it is work done in the window), the offered
 * rate when it keeps up. Latency comes from the window's events only: client receive time − the
 * event's timestamp, which the publisher sets to its send time, so it includes the Kafka hop.
 *
 * <p>System properties: {@code bench.connect-rate} (connections opened per second, default 1000),
 * {@code bench.warmup-seconds} (events published before the measured window, default 5), {@code
 * bench.node-jvm} (extra node JVM options, space separated), {@code bench.jfr} (a file: the node
 * records JFR over the measured window), {@code bench.drain-timeout} (seconds to wait for a backlog
 * after the last event while alerts still arrive, default 300).
 */
public final class AlertBenchmark {

  private static final String SECRET = "notifier-benchmark-secret-0123456789abcdef";
  private static final int PARTITIONS = 3;

  /** Events before the measured window ({@code bench.warmup-seconds}; the quick suite uses 2). */
  private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 5);

  /** Room for 10 000 connections, their queues and bursts, as a production node would have. */
  private static final String NODE_HEAP = "1g";

  /** Alerts still due this long after the last arrival are counted as lost. */
  private static final Duration DRAIN_QUIET = Duration.ofSeconds(5);

  /** Latency histogram in 1 ms buckets up to 60 s; the last bucket takes the rest. */
  private static final int BUCKETS = 60_001;

  private static final AtomicLongArray LATENCY = new AtomicLongArray(BUCKETS);

  /** Alerts of the window's events, and when the last of them arrived. */
  private static final AtomicLong ALERTS = new AtomicLong();

  private static final AtomicLong LAST_ARRIVAL_MS = new AtomicLong();

  /** Every alert received, of any event (warm-up included), and when the last one arrived. */
  private static final AtomicLong ALL_ALERTS = new AtomicLong();

  private static final AtomicLong LAST_ANY_ARRIVAL_MS = new AtomicLong();

  /** Alerts of any event that arrived after the window started: the delivery rate's numerator. */
  private static final AtomicLong ARRIVED_IN_WINDOW = new AtomicLong();

  private static volatile long windowStartMs = Long.MAX_VALUE;
  private static volatile long windowEndMs = Long.MAX_VALUE;

  private AlertBenchmark() {}

  @SuppressWarnings("try") // the node only has to run while the benchmark talks to it
  public static void main(String[] args) throws Exception {
    int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int clientIds = args.length > 3 ? Integer.parseInt(args[3]) : subscribers;
    int connectRate = Integer.getInteger("bench.connect-rate", 1000);
    Thresholds thresholds = new Thresholds(subscribers, clientIds);

    RealServers servers = RealServers.shared();
    createTopic(servers.kafkaBootstrap());
    int port = FreePorts.next();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("server.port", Integer.toString(port));
    props.put("spring.datasource.url", servers.postgresJdbcUrl("notifier_bench"));
    props.put("spring.datasource.username", servers.postgresUser());
    props.put("spring.datasource.password", servers.postgresPassword());
    props.put("redstats.kafka.bootstrap-servers", servers.kafkaBootstrap());
    props.put("redstats.security.jwt-secret", SECRET);
    props.put("redstats.notifier.node-id", "bench");
    props.put("server.tomcat.max-connections", "20000");
    List<String> jvm = new ArrayList<>(List.of("-Xms" + NODE_HEAP, "-Xmx" + NODE_HEAP));
    // JFR samples are only exact between safepoints with this; it costs nothing measurable.
    jvm.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints"));
    String extra = System.getProperty("bench.node-jvm", "").trim();
    if (!extra.isEmpty()) {
      jvm.addAll(Arrays.asList(extra.split("\\s+")));
    }
    try (ServiceProcess node =
        ServiceProcess.start(
            "bench-node",
            Path.of(System.getProperty("notifier.jar")),
            props,
            Duration.ofMinutes(3),
            jvm)) {
      String admin =
          new TokenMinter(SECRET).mint("admin", null, List.of(Scopes.ADMIN), Duration.ofHours(2));
      long heapBefore = heapAfterGc(node.pid(), port, admin);
      BenchClients clients = new BenchClients(AlertBenchmark::record);
      long connectStart = System.nanoTime();
      double nodeCpuBeforeConnect = cpuSeconds(node.pid());
      int connected =
          clients.connect(
              URI.create("ws://127.0.0.1:" + port + "/alerts"), thresholds, SECRET, connectRate);
      double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
      double connectCpu = cpuSeconds(node.pid()) - nodeCpuBeforeConnect;
      long heapAfter = heapAfterGc(node.pid(), port, admin);
      out("node_jvm", String.join(" ", jvm));
      out("subscribers", subscribers);
      out("client_ids", clientIds);
      out("connected", connected);
      out("connect_failures", clients.failures());
      out("connect_seconds", String.format(Locale.ROOT, "%.1f", connectSeconds));
      out(
          "node_cpu_ms_per_connect",
          String.format(Locale.ROOT, "%.2f", connected == 0 ? 0 : connectCpu * 1000 / connected));
      out("connect_load_average", loadAverage());
      out("node_heap_before_mb", heapBefore >> 20);
      out("node_heap_connected_mb", heapAfter >> 20);
      out("heap_per_connection_bytes", connected == 0 ? -1 : (heapAfter - heapBefore) / connected);

      Published published =
          publish(servers.kafkaBootstrap(), rate, seconds, thresholds, node.pid(), clients);
      double drainSeconds = awaitDrain(published.alertsDueTotal());
      report(published, clients, node.pid());
      out("drain_seconds", String.format(Locale.ROOT, "%.1f", drainSeconds));
      out("drain_load_average", loadAverage());
      out("node_alerts_sent", metric(port, admin, "redstats.notifier.alerts.sent"));
      out("node_connections", metric(port, admin, "redstats.notifier.connections"));
      out("node_queue_closes", metric(port, admin, "redstats.notifier.queue.closes"));
      String failure = check(subscribers, connected, published, clients);
      out("check", failure == null ? "ok" : "FAILED " + failure);
      clients.close();
      if (failure != null) {
        System.err.println("notifier benchmark FAILED: " + failure);
        System.exit(1);
      }
    }
    System.exit(0);
  }

  /**
   * Null when every subscriber connected and got exactly the alerts it was due (as counts: every
   * alert due arrived, none more, none of them closed); else what went wrong.
   */
  private static String check(
      int subscribers, int connected, Published published, BenchClients clients) {
    List<String> problems = new ArrayList<>();
    if (connected != subscribers) {
      problems.add((subscribers - connected) + " of " + subscribers + " subscribers not connected");
    }
    long all = ALL_ALERTS.get();
    if (all != published.alertsDueTotal()) {
      problems.add(
          "alerts received "
              + all
              + " != due "
              + published.alertsDueTotal()
              + " (warm-up included)");
    }
    if (ALERTS.get() != published.alertsDue()) {
      problems.add("window alerts received " + ALERTS.get() + " != due " + published.alertsDue());
    }
    if (clients.badFrames() > 0) {
      problems.add(clients.badFrames() + " frames the clients could not read");
    }
    if (!clients.closes().equals("0")) {
      problems.add("connections closed by the node: " + clients.closes());
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  /** Each subscriber's threshold, so the benchmark knows how many alerts an event is due. */
  static final class Thresholds {
    final int subscribers;
    final int clientIds;
    private final int[] units;

    Thresholds(int subscribers, int clientIds) {
      this.subscribers = subscribers;
      this.clientIds = clientIds;
      this.units = new int[subscribers];
      int perClient = Math.max(1, subscribers / clientIds);
      for (int i = 0; i < subscribers; i++) {
        units[i] = (int) Math.round((i / clientIds) / (double) perClient * 100_000);
      }
    }

    long clientIdOf(int subscriber) {
      return 1 + (subscriber % clientIds);
    }

    int unitsOf(int subscriber) {
      return units[subscriber];
    }

    String minRedOf(int subscriber) {
      return String.format(Locale.ROOT, "%.5f", units[subscriber] / 100_000.0);
    }

    /** Subscribers of {@code clientId} whose threshold is strictly below {@code redUnits}. */
    int due(long clientId, int redUnits) {
      int count = 0;
      for (int i = (int) (clientId - 1); i < subscribers; i += clientIds) {
        if (units[i] < redUnits) {
          count++;
        }
      }
      return count;
    }
  }

  /** Called by the clients for every text message; counts alerts of the measured window. */
  private static void record(long eventTimestampMs) {
    long now = System.currentTimeMillis();
    ALL_ALERTS.incrementAndGet();
    LAST_ANY_ARRIVAL_MS.accumulateAndGet(now, Math::max);
    if (now >= windowStartMs) {
      ARRIVED_IN_WINDOW.incrementAndGet();
    }
    if (eventTimestampMs < windowStartMs || eventTimestampMs > windowEndMs) {
      return;
    }
    ALERTS.incrementAndGet();
    LAST_ARRIVAL_MS.accumulateAndGet(now, Math::max);
    LATENCY.incrementAndGet((int) Math.max(0, Math.min(BUCKETS - 1, now - eventTimestampMs)));
  }

  private record Published(
      long events,
      long alertsDue,
      long alertsDueTotal,
      double seconds,
      long startMs,
      double nodeCpuSeconds,
      double nodeCpuAtStart,
      double clientCpuSeconds,
      String loadAverage) {}

  private static Published publish(
      String bootstrap, int rate, int seconds, Thresholds thresholds, long nodePid, BenchClients c)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    ExecutorService sideJobs = Executors.newSingleThreadExecutor();
    try (KafkaProducer<Long, StatEvent> producer =
        new KafkaProducer<>(
            p,
            Topics.CANONICAL.keySerde().serializer(),
            Topics.CANONICAL.valueSerde().serializer())) {
      long periodNanos = 1_000_000_000L / rate;
      long warmup = (long) rate * WARMUP_SECONDS;
      long total = warmup + (long) rate * seconds;
      long imageId = System.currentTimeMillis() * 1000;
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long due = 0;
      long dueTotal = 0;
      long events = 0;
      long start = System.nanoTime();
      long windowStartNanos = 0;
      long startMs = 0;
      double nodeCpuStart = 0;
      double clientCpuStart = 0;
      for (long i = 0; i < total; i++) {
        if (i == warmup) {
          // The window starts on a fresh millisecond, so no warm-up event shares its timestamp,
          // and on a fresh schedule, so a warm-up that fell behind does not become a burst.
          startMs = System.currentTimeMillis() + 1;
          while (System.currentTimeMillis() < startMs) {
            LockSupport.parkNanos(100_000);
          }
          windowStartMs = startMs;
          windowStartNanos = System.nanoTime();
          start = windowStartNanos - i * periodNanos;
          nodeCpuStart = cpuSeconds(nodePid);
          clientCpuStart = ownCpuSeconds();
          String jfr = System.getProperty("bench.jfr");
          if (jfr != null) {
            sideJobs.execute(
                () ->
                    jcmd(
                        nodePid,
                        "JFR.start",
                        "duration=" + seconds + "s",
                        "filename=" + Path.of(jfr).toAbsolutePath()));
          }
        }
        long wait = start + i * periodNanos - System.nanoTime();
        // Sleep, not spin: on two cores a spinning publisher would steal a core from the node.
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long clientId = 1 + random.nextInt(thresholds.clientIds);
        int red = random.nextInt(100_001);
        StatEvent event = new StatEvent(++imageId, clientId, System.currentTimeMillis(), red);
        int dueNow = thresholds.due(clientId, red);
        dueTotal += dueNow;
        if (i >= warmup) {
          events++;
          due += dueNow;
        }
        producer.send(new ProducerRecord<>(Topics.CANONICAL.name(), event.imageId(), event));
      }
      windowEndMs = System.currentTimeMillis(); // no later event exists
      double windowSeconds = (System.nanoTime() - windowStartNanos) / 1e9;
      double nodeCpu = cpuSeconds(nodePid) - nodeCpuStart;
      double clientCpu = ownCpuSeconds() - clientCpuStart;
      String load = loadAverage();
      producer.flush();
      return new Published(
          events, due, dueTotal, windowSeconds, startMs, nodeCpu, nodeCpuStart, clientCpu, load);
    } finally {
      sideJobs.shutdown();
    }
  }

  /**
   * Waits until every alert due arrived, as long as alerts of any event keep arriving: a node that
   * is behind delivers the warm-up's backlog first, and waiting only for the window's alerts to
   * move gave up on it before the first of them came. Returns the seconds waited.
   */
  private static double awaitDrain(long due) throws InterruptedException {
    long start = System.nanoTime();
    long limit = start + Duration.ofSeconds(Long.getLong("bench.drain-timeout", 300)).toNanos();
    long quietSince = start;
    long seen = -1;
    while (ALL_ALERTS.get() < due && System.nanoTime() < limit) {
      long now = ALL_ALERTS.get();
      if (now != seen) {
        seen = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > DRAIN_QUIET.toNanos()) {
        break;
      }
      Thread.sleep(100);
    }
    // Anything beyond what is due (a duplicate) would come right behind; give it a moment.
    Thread.sleep(500);
    return (System.nanoTime() - start) / 1e9;
  }

  private static void report(Published published, BenchClients clients, long nodePid) {
    long received = ALERTS.get();
    double deliverySeconds =
        Math.max(published.seconds(), (LAST_ANY_ARRIVAL_MS.get() - published.startMs()) / 1000.0);
    out(
        "events_per_s",
        String.format(Locale.ROOT, "%.0f", published.events() / published.seconds()));
    out("window_seconds", String.format(Locale.ROOT, "%.1f", published.seconds()));
    out("alerts_due", published.alertsDue());
    out("alerts_received", received);
    out("alerts_lost", published.alertsDue() - received);
    out("alerts_due_total", published.alertsDueTotal());
    out("alerts_received_total", ALL_ALERTS.get());
    out("delivery_seconds", String.format(Locale.ROOT, "%.1f", deliverySeconds));
    out(
        "alerts_per_s",
        String.format(Locale.ROOT, "%.0f", ARRIVED_IN_WINDOW.get() / deliverySeconds));
    out("latency_p50_ms", percentile(0.50));
    out("latency_p99_ms", percentile(0.99));
    out("latency_p999_ms", percentile(0.999));
    out("latency_max_ms", percentile(1.0));
    out(
        "node_cpu_cores",
        String.format(Locale.ROOT, "%.2f", published.nodeCpuSeconds() / published.seconds()));
    // Over the whole delivery (window start to drained), so a backlog's CPU and alerts both count.
    double deliveryCpu = cpuSeconds(nodePid) - published.nodeCpuAtStart();
    out(
        "alerts_per_node_cpu_s",
        String.format(
            Locale.ROOT, "%.0f", deliveryCpu <= 0 ? 0 : ARRIVED_IN_WINDOW.get() / deliveryCpu));
    out(
        "client_cpu_cores",
        String.format(Locale.ROOT, "%.2f", published.clientCpuSeconds() / published.seconds()));
    out("client_closes", clients.closes());
    out("client_other_messages", clients.otherTexts());
    out("client_fragmented_messages", clients.fragmented());
    out("client_bad_frames", clients.badFrames());
    out("load_average", published.loadAverage());
    out("node_pid", nodePid);
  }

  private static void out(String key, Object value) {
    System.out.println(key + "=" + value);
  }

  private static long percentile(double q) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += LATENCY.get(i);
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += LATENCY.get(i);
      if (seen >= rank) {
        return i;
      }
    }
    return -1;
  }

  /** Heap in use right after a full GC, so it is what connections hold, not garbage. */
  private static long heapAfterGc(long pid, int port, String adminToken) throws Exception {
    jcmd(pid, "GC.run");
    Thread.sleep(500);
    return (long) metric(port, adminToken, "jvm.memory.used?tag=area:heap");
  }

  /** The first measurement of one of the node's meters, from the actuator. */
  private static double metric(int port, String adminToken, String name) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/metrics/" + name))
                    .header("Authorization", "Bearer " + adminToken)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    String body = r.body();
    int at = body.indexOf("\"value\":");
    if (r.statusCode() != 200 || at < 0) {
      return -1;
    }
    return Double.parseDouble(body.substring(at + 8, body.indexOf('}', at)));
  }

  private static void jcmd(long pid, String... command) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(pid));
    cmd.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      System.err.println("jcmd " + String.join(" ", command) + ": " + output.trim());
    } catch (IOException e) {
      System.err.println("jcmd failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** User + system CPU seconds of a process, from /proc (Linux). */
  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted after the command name.
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks / 100.0; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double ownCpuSeconds() {
    return cpuSeconds(ManagementFactory.getRuntimeMXBean().getPid());
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + "," + parts[1] + "," + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void createTopic(String bootstrap) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      admin
          .createTopics(List.of(new NewTopic(Topics.CANONICAL.name(), PARTITIONS, (short) 1)))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }
}
