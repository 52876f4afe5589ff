import io.redstats.contract.event.EventJson;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Ingest benchmark, two parts (the HTTP side of both the batch and the single-event path is measured
 * with wrk by run.sh):
 *
 * <ol>
 *   <li><b>producer</b>: the batch path's baseline, Kafka's own producer sending the records (same
 *       serializer, acks=all, idempotent, linger 0 as the service, no transactions) to a topic
 *       of the same broker. It warms up for the given seconds, prints {@code bench:ready}, then for
 *       each line on stdin (a number of seconds) sends for that long, waits for every
 *       acknowledgement and prints {@code bench:<events/s>} of that window (other lines on stdout
 *       are the Kafka client's logs). It stays up between windows, so run.sh can
 *       alternate them with wrk runs of POST /stats on one warm JVM;
 *   <li><b>freshness</b>: from the 202 of a single event to its row being visible in ClickHouse.
 * </ol>
 *
 * Usage: {@code IngestBench producer KAFKA_BOOTSTRAP WARMUP_SECONDS} or {@code IngestBench
 * freshness INGEST_URL TOKEN CLICKHOUSE_HTTP_URL DATABASE EVENTS}
 */
public final class IngestBench {

  private static final String PRODUCER_TOPIC = "redstats.bench.producer";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    if (mode.equals("producer")) {
      producer(args[1], Double.parseDouble(args[2]));
    } else {
      freshness(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]));
    }
  }

  private static void producer(String bootstrap, double warmupSeconds) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      if (!admin.listTopics().names().get().contains(PRODUCER_TOPIC)) {
        admin.createTopics(List.of(new NewTopic(PRODUCER_TOPIC, 6, (short) 1))).all().get();
      }
    }
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    try (KafkaProducer<Long, StatEvent> producer =
            new KafkaProducer<>(
                config, Topics.RAW.keySerde().serializer(), Topics.RAW.valueSerde().serializer());
        BufferedReader commands =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      sendFor(producer, warmupSeconds);
      System.out.println("bench:ready");
      System.out.flush();
      for (String line = commands.readLine(); line != null; line = commands.readLine()) {
        double rate = sendFor(producer, Double.parseDouble(line.strip()));
        System.out.printf(Locale.ROOT, "bench:%.0f%n", rate);
        System.out.flush();
      }
    }
  }

  /**
   * Sends events for {@code seconds} (send blocks when the producer's buffer is full: the broker
   * sets the pace), then waits for every acknowledgement; returns events/s over the whole time.
   */
  private static double sendFor(KafkaProducer<Long, StatEvent> producer, double seconds)
      throws Exception {
    AtomicReference<Exception> failure = new AtomicReference<>();
    long base = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
    long now = System.currentTimeMillis();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long sent = 0;
    while (System.nanoTime() < end && failure.get() == null) {
      for (int i = 0; i < 1_000; i++, sent++) {
        StatEvent event = new StatEvent(base + sent, 1 + sent % 100, now, (int) (sent % 100_001));
        producer.send(
            new ProducerRecord<>(PRODUCER_TOPIC, event.imageId(), event),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
      }
    }
    producer.flush();
    if (failure.get() != null) {
      throw failure.get();
    }
    return sent / seconds(start);
  }

  private static void freshness(
      String ingest, String token, String clickhouse, String database, int count)
      throws Exception {
    // Warm-up, not counted: the node under test has just started, and the first events through a
    // JVM that has not compiled the path yet say nothing about a running service.
    measureFreshness(ingest, token, clickhouse, database, Math.max(20, count / 2));
    List<Long> fresh = measureFreshness(ingest, token, clickhouse, database, count);
    System.out.printf(Locale.ROOT, "freshness.samples=%d%n", fresh.size());
    System.out.printf(Locale.ROOT, "freshness.p50_ms=%d%n", percentile(fresh, 0.50));
    System.out.printf(Locale.ROOT, "freshness.p99_ms=%d%n", percentile(fresh, 0.99));
    System.out.printf(Locale.ROOT, "freshness.max_ms=%d%n", percentile(fresh, 1.0));
  }

  private static List<StatEvent> events(int count) {
    long base = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
    long now = System.currentTimeMillis();
    List<StatEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(new StatEvent(base + i, 1 + i % 100, now - i, i % 100_001));
    }
    return events;
  }

  /**
   * Posts single events at ~50/s; a poller asks ClickHouse every 10 ms which of the pending ones
   * are visible and records the time since their 202.
   */
  private static List<Long> measureFreshness(
      String ingest, String token, String clickhouse, String database, int count)
      throws Exception {
    Map<Long, Long> pending = new ConcurrentHashMap<>();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    Thread poller =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                pollVisible(clickhouse, database, pending, latencies);
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    poller.start();
    for (StatEvent e : events(count)) {
      int status = post(ingest + "/stats", token, "application/json", EventJson.toJson(e));
      if (status != 202) {
        throw new IllegalStateException("event answered " + status);
      }
      pending.put(e.imageId(), System.nanoTime());
      Thread.sleep(20);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    poller.interrupt();
    poller.join();
    if (!pending.isEmpty()) {
      System.out.println("freshness.not_visible_after_30s=" + pending.size());
    }
    return new ArrayList<>(latencies);
  }

  private static void pollVisible(
      String clickhouse, String database, Map<Long, Long> pending, List<Long> latencies) {
    if (pending.isEmpty()) {
      return;
    }
    StringBuilder ids = new StringBuilder();
    for (Long id : pending.keySet()) {
      ids.append(ids.length() == 0 ? "" : ",").append(id);
    }
    String sql = "SELECT image_id FROM " + database + ".events WHERE image_id IN (" + ids + ")";
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          clickhouse + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long now = System.nanoTime();
      for (String line : response.body().split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        Long acceptedAt = pending.remove(Long.parseLong(line.strip()));
        if (acceptedAt != null) {
          latencies.add((now - acceptedAt) / 1_000_000);
        }
      }
    } catch (Exception e) {
      // the next poll tries again
    }
  }

  private static int post(String url, String token, String contentType, String body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static long percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
