package io.redstats.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.event.Topics;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.Server;
import io.redstats.testsupport.ServerControl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Promises 1 and 3 against a broker crash, in the strict form: the Kafka broker is killed -9 in the
 * middle of a load of batches and comes back 20 s later; clients never retry. Every request is
 * answered 202 or 503 (never a hang), and at the end ClickHouse and the canonical topic hold
 * exactly the events of the requests answered 202 and nothing of any request answered 503 — because
 * ingest writes each request in a Kafka transaction and a 503 means it was aborted.
 */
class BrokerOutageIT extends IngestITSupport {

  private static final int BATCH = 1_000;
  private static final int CLIENTS = 4;
  private static final int KILL_AFTER_BATCHES = 5;
  private static final int ACCEPTED_AFTER_RESTART = 5;
  private static final int MAX_BATCHES = 1_000;
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  /** A client that was refused waits this long before it posts its next (new) batch. */
  private static final Duration PAUSE_AFTER_503 = Duration.ofSeconds(1);

  private static final int NO_ANSWER = -1;

  @Test
  void brokerKilledMidLoadStoresExactlyTheRequestsAnswered202() throws Exception {
    // Given a broker this test run started itself (only those can be killed)
    Optional<ServerControl> kafka = RealServers.shared().control(Server.KAFKA);
    assumeTrue(kafka.isPresent(), "Kafka came from the environment; it cannot be killed here");
    long first = freshImageId();
    double uncertainBefore = uncertainTransactions();
    Map<Integer, Integer> answers = new ConcurrentHashMap<>();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger acceptedAfterRestart = new AtomicInteger();
    AtomicBoolean restarted = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();

    // When clients post new batches (never retrying one) while the broker is killed -9 after a
    // few of them and started again 20 s later, and go on until some more were accepted
    CompletableFuture<Void> outage =
        CompletableFuture.runAsync(
            () -> {
              while (accepted.get() < KILL_AFTER_BATCHES && !stop.get()) {
                Thread.onSpinWait();
              }
              kafka.get().kill9();
              sleep(OUTAGE);
              kafka.get().start();
              restarted.set(true);
            });
    AtomicInteger nextBatch = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      workers.add(
          clients.submit(
              () -> {
                for (int b = nextBatch.getAndIncrement();
                    b < MAX_BATCHES && !stop.get();
                    b = nextBatch.getAndIncrement()) {
                  boolean afterRestart = restarted.get();
                  int status = postOnce(body(first, b));
                  answers.put(b, status);
                  if (status == 202) {
                    accepted.incrementAndGet();
                    if (afterRestart) {
                      acceptedAfterRestart.incrementAndGet();
                    }
                  } else {
                    sleep(PAUSE_AFTER_503);
                  }
                }
                return null;
              }));
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while ((!restarted.get() || acceptedAfterRestart.get() < ACCEPTED_AFTER_RESTART)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    stop.set(true);
    for (Future<?> worker : workers) {
      worker.get();
    }
    clients.shutdown();
    outage.get();

    // Then every request got an answer: 202, or 503 during the outage
    Map<Integer, Integer> byStatus = new TreeMap<>();
    answers.values().forEach(s -> byStatus.merge(s, 1, Integer::sum));
    assertThat(byStatus.keySet()).as("statuses %s", byStatus).containsOnly(202, 503);
    assertThat(byStatus.get(503)).as("503 answers during the outage").isPositive();
    assertThat(acceptedAfterRestart.get()).isGreaterThanOrEqualTo(ACCEPTED_AFTER_RESTART);
    List<Long> acceptedBatches = batchesAnswered(answers, 202);
    List<Long> refusedBatches = batchesAnswered(answers, 503);

    // And ClickHouse holds exactly the events of the batches answered 202
    long last = first + (long) nextBatch.get() * BATCH;
    ClickHouseRows rows = clickHouse();
    long expected = (long) acceptedBatches.size() * BATCH;
    long stored =
        ClickHouseRows.await(
            () -> rows.countRange(first, last), n -> n >= expected, Duration.ofSeconds(120));
    Thread.sleep(3_000); // anything that should not be there would arrive by now
    Map<Long, Long> storedPerBatch = rows.countPerBlock(first, last, BATCH);
    Map<Long, Long> expectedPerBatch = new TreeMap<>();
    acceptedBatches.forEach(b -> expectedPerBatch.put(b, (long) BATCH));
    double uncertain = uncertainTransactions() - uncertainBefore;
    if (uncertain == 0) {
      assertThat(storedPerBatch)
          .as("rows per batch (stored %d, refused batches %s)", stored, refusedBatches)
          .isEqualTo(expectedPerBatch);
    } else {
      // A commit whose answer was lost (documented): its batches may be stored whole although
      // answered 503. Everything answered 202 is still there exactly once, nothing partial.
      assertThat(storedPerBatch).containsAllEntriesOf(expectedPerBatch);
      assertThat(storedPerBatch.values()).containsOnly((long) BATCH);
    }
    assertThat(rows.distinctInRange(first, last)).isEqualTo(rows.countRange(first, last));

    // And the canonical topic too; the raw topic (read_committed) holds nothing of a 503
    KafkaRecords kafkaRecords = new KafkaRecords(RealServers.shared().kafkaBootstrap());
    Map<Long, Long> canonicalPerBatch = perBatch(kafkaRecords.keys(Topics.CANONICAL.name()), first);
    Map<Long, Long> rawPerBatch = perBatch(kafkaRecords.keys(Topics.RAW.name()), first);
    if (uncertain == 0) {
      assertThat(canonicalPerBatch).isEqualTo(expectedPerBatch);
      assertThat(rawPerBatch.keySet()).doesNotContainAnyElementsOf(refusedBatches);
    } else {
      assertThat(canonicalPerBatch).isEqualTo(storedPerBatch);
    }
  }

  private static List<Long> batchesAnswered(Map<Integer, Integer> answers, int status) {
    return answers.entrySet().stream()
        .filter(e -> e.getValue() == status)
        .map(e -> (long) e.getKey())
        .sorted()
        .toList();
  }

  private static Map<Long, Long> perBatch(List<Long> keys, long first) {
    Map<Long, Long> perBatch = new TreeMap<>();
    for (long key : keys) {
      if (key >= first && key < first + (long) MAX_BATCHES * BATCH) {
        perBatch.merge((key - first) / BATCH, 1L, Long::sum);
      }
    }
    return perBatch;
  }

  /** Posts one batch once; its status, or {@link #NO_ANSWER}. */
  private int postOnce(String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-ndjson")
            .header("Authorization", "Bearer " + ingestToken())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return NO_ANSWER;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NO_ANSWER;
    }
  }

  private static String body(long first, int batch) {
    StringBuilder body = new StringBuilder();
    long now = System.currentTimeMillis();
    for (int i = 0; i < BATCH; i++) {
      long imageId = first + (long) batch * BATCH + i;
      body.append("{\"image_id\":")
          .append(imageId)
          .append(",\"client_id\":")
          .append(1 + i % 50)
          .append(",\"timestamp\":")
          .append(now - i)
          .append(",\"red\":0.5}\n");
    }
    return body.toString();
  }

  /** {@code redstats_publish_transactions_total{outcome="uncertain"}} of the ingest node. */
  private double uncertainTransactions() {
    String metrics = get("/actuator/prometheus", token(Scopes.ADMIN)).body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("redstats_publish_transactions_total")
          && line.contains("outcome=\"uncertain\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
