package io.redstats.notifier.bench;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Alert throughput and event-to-alert latency of one notifier node, measured at real WebSocket
 * clients. Starts Kafka and PostgreSQL from the test harness and the packaged node as its own JVM,
 * connects SUBSCRIBERS clients, publishes EVENTS_PER_SECOND canonical events for SECONDS, and
 * prints alerts/s, latency percentiles (client receive time minus the event's timestamp, which the
 * publisher sets to its send time) and the node's heap per connection. See bench/README.md.
 *
 * <p>Arguments: {@code subscribers eventsPerSecond seconds clients}. Subscribers are spread over
 * {@code clients} client ids (visibility own) with thresholds spread evenly over [0, 1), events
 * over the same client ids with red uniform in [0, 1]: an event alerts on average half of its
 * client's subscribers (those with min_red below its red). One subscriber per client id (the
 * default) alerts about once per event.
 */
public final class AlertBenchmark {

  private static final String SECRET = "notifier-benchmark-secret-0123456789abcdef";
  private static final int PARTITIONS = 3;

  /** Latency histogram in 1 ms buckets up to 10 s; the last bucket takes the rest. */
  private static final int BUCKETS = 10_001;

  private static final AtomicLongArray LATENCY = new AtomicLongArray(BUCKETS);
  private static final AtomicLong ALERTS = new AtomicLong();
  private static volatile boolean measuring;

  private AlertBenchmark() {}

  @SuppressWarnings("try") // the node only has to run while the benchmark talks to it
  public static void main(String[] args) throws Exception {
    int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int clients = args.length > 3 ? Integer.parseInt(args[3]) : subscribers;
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
    try (ServiceProcess node =
        ServiceProcess.start(
            "bench-node",
            Path.of(System.getProperty("notifier.jar")),
            props,
            Duration.ofMinutes(2))) {
      String admin =
          new TokenMinter(SECRET).mint("admin", null, List.of(Scopes.ADMIN), Duration.ofHours(1));
      long heapBefore = heapUsed(port, admin);
      List<WebSocket> sockets = connect(port, subscribers, clients);
      Thread.sleep(2000);
      long heapAfter = heapUsed(port, admin);
      System.out.printf(
          "connected %d subscribers; node heap %d MB -> %d MB (~%d KB per connection, without GC)%n",
          subscribers,
          heapBefore >> 20,
          heapAfter >> 20,
          (heapAfter - heapBefore) / 1024 / subscribers);
      publish(servers.kafkaBootstrap(), rate, seconds, clients);
      report(seconds);
      sockets.forEach(WebSocket::abort);
    }
    System.exit(0);
  }

  private static List<WebSocket> connect(int port, int subscribers, int clients) throws Exception {
    TokenMinter minter = new TokenMinter(SECRET);
    HttpClient http = HttpClient.newHttpClient();
    List<WebSocket> sockets = new ArrayList<>();
    List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      long clientId = 1 + (i % clients);
      String minRed =
          String.format(
              java.util.Locale.ROOT,
              "%.5f",
              (i / clients) / (double) Math.max(1, subscribers / clients));
      String token =
          minter.mint("c" + clientId, clientId, List.of(Scopes.SUBSCRIBE), Duration.ofHours(1));
      pending.add(
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + token)
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + port + "/alerts?min_red=" + minRed),
                  new Listener()));
      if (pending.size() == 200) {
        for (CompletableFuture<WebSocket> f : pending) {
          sockets.add(f.get(30, TimeUnit.SECONDS));
        }
        pending.clear();
        if (sockets.size() % 1000 == 0) {
          System.out.printf("%d subscribers connected%n", sockets.size());
        }
      }
    }
    for (CompletableFuture<WebSocket> f : pending) {
      sockets.add(f.get(30, TimeUnit.SECONDS));
    }
    return sockets;
  }

  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        record(partial);
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  private static void record(CharSequence message) {
    String text = message.toString();
    int at = text.indexOf("\"timestamp\":");
    if (!text.startsWith("{\"type\":\"alert\"") || at < 0) {
      return;
    }
    int start = at + 12;
    int end = text.indexOf(',', start);
    long latency = System.currentTimeMillis() - Long.parseLong(text.substring(start, end));
    if (measuring) {
      ALERTS.incrementAndGet();
      LATENCY.incrementAndGet((int) Math.max(0, Math.min(BUCKETS - 1, latency)));
    }
  }

  private static void publish(String bootstrap, int rate, int seconds, int clients)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    try (KafkaProducer<Long, StatEvent> producer =
        new KafkaProducer<>(
            p,
            Topics.CANONICAL.keySerde().serializer(),
            Topics.CANONICAL.valueSerde().serializer())) {
      long warmup = 3;
      long periodNanos = 1_000_000_000L / rate;
      long start = System.nanoTime();
      long total = (long) rate * (seconds + warmup);
      long imageId = System.currentTimeMillis() * 1000;
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (long i = 0; i < total; i++) {
        long due = start + i * periodNanos;
        // Sleep, not spin: on two cores a spinning publisher would steal a core from the node.
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        if (i == rate * warmup) {
          measuring = true;
        }
        StatEvent event =
            new StatEvent(
                ++imageId,
                1 + random.nextInt(clients),
                System.currentTimeMillis(),
                random.nextInt(100_001));
        producer.send(new ProducerRecord<>(Topics.CANONICAL.name(), event.imageId(), event));
      }
      producer.flush();
      Thread.sleep(1000);
      measuring = false;
    }
  }

  private static void report(int seconds) {
    long count = ALERTS.get();
    System.out.printf(
        "alerts received while measuring: %d (%.0f alerts/s)%n",
        count, count / (double) (seconds + 1));
    System.out.printf(
        "event-to-alert latency: p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms%n",
        percentile(0.50), percentile(0.99), percentile(0.999), percentile(1.0));
  }

  private static long percentile(double q) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += LATENCY.get(i);
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += LATENCY.get(i);
      if (seen >= rank && seen > 0) {
        return i;
      }
    }
    return -1;
  }

  private static long heapUsed(int port, String adminToken) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
                    .header("Authorization", "Bearer " + adminToken)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    String body = r.body();
    int at = body.indexOf("\"value\":");
    return (long) Double.parseDouble(body.substring(at + 8, body.indexOf('}', at)));
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
