import io.redstats.contract.event.EventJson;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Ingest benchmark, two parts (the single-event path is measured with wrk by run.sh):
 *
 * <ol>
 *   <li><b>batch</b>: events/s through POST /stats in batches of 1 000, as a ratio to Kafka's own
 *       producer sending the same records (same serializer, acks=all, idempotent, same linger) to a
 *       topic of the same broker, in the same run;
 *   <li><b>freshness</b>: from the 202 of a single event to its row being visible in ClickHouse.
 * </ol>
 *
 * Usage: {@code IngestBench batch INGEST_URL TOKEN KAFKA_BOOTSTRAP EVENTS CLIENTS} or {@code
 * IngestBench freshness INGEST_URL TOKEN CLICKHOUSE_HTTP_URL DATABASE EVENTS}
 */
public final class IngestBench {

  private static final String PRODUCER_TOPIC = "redstats.bench.producer";
  private static final int BATCH = 1_000;
  private static final String NDJSON = "application/x-ndjson";
  private static final AtomicInteger RETRIED_503 = new AtomicInteger();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String ingest = args[1];
    String token = args[2];
    if (mode.equals("batch")) {
      batch(ingest, token, args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
    } else {
      freshness(ingest, token, args[3], args[4], Integer.parseInt(args[5]));
    }
  }

  private static void batch(String ingest, String token, String kafka, int events, int clients)
      throws Exception {
    // Warm both paths (JIT, connections, metadata) before measuring.
    producerOnly(kafka, events(events / 10));
    httpBatches(ingest, token, events(events / 10), clients);

    double producer = producerOnly(kafka, events(events));
    RETRIED_503.set(0);
    double http = httpBatches(ingest, token, events(events), clients);
    System.out.printf(Locale.ROOT, "batch.producer_events_per_s=%.0f%n", producer);
    System.out.printf(Locale.ROOT, "batch.http_events_per_s=%.0f%n", http);
    System.out.printf(Locale.ROOT, "batch.ratio=%.2f%n", http / producer);
    System.out.printf(Locale.ROOT, "batch.http_retried_503=%d%n", RETRIED_503.get());
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

  /** Events/s of a plain producer loop: send everything, wait for every acknowledgement. */
  private static double producerOnly(String bootstrap, List<StatEvent> events) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      if (!admin.listTopics().names().get().contains(PRODUCER_TOPIC)) {
        admin.createTopics(List.of(new NewTopic(PRODUCER_TOPIC, 6, (short) 1))).all().get();
      }
    }
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (KafkaProducer<Long, StatEvent> producer =
        new KafkaProducer<>(
            config, Topics.RAW.keySerde().serializer(), Topics.RAW.valueSerde().serializer())) {
      long start = System.nanoTime();
      List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
      for (StatEvent e : events) {
        acks.add(producer.send(new ProducerRecord<>(PRODUCER_TOPIC, e.imageId(), e)));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
      return events.size() / seconds(start);
    }
  }

  /** Events/s through POST /stats, batches of 1 000, from {@code clients} concurrent clients. */
  private static double httpBatches(String ingest, String token, List<StatEvent> events, int clients)
      throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int from = 0; from < events.size(); from += BATCH) {
      StringBuilder body = new StringBuilder();
      for (StatEvent e : events.subList(from, Math.min(events.size(), from + BATCH))) {
        body.append(EventJson.toJson(e)).append('\n');
      }
      bodies.add(body.toString());
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                  int status;
                  while ((status = post(ingest + "/stats", token, NDJSON, bodies.get(i))) == 503) {
                    // A shared box can starve the node (503 after the ack timeout): retry like RED
                    // does; the time counts, and the retries are reported.
                    RETRIED_503.incrementAndGet();
                    Thread.sleep(100);
                  }
                  if (status != 202) {
                    throw new IllegalStateException("batch answered " + status);
                  }
                }
                return null;
              }));
    }
    try {
      for (Future<?> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdownNow(); // a failed batch must end the run, not leave the JVM waiting
    }
    return events.size() / seconds(start);
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
