package io.redstats.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.event.Topics;
import io.redstats.testsupport.Markers;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.Server;
import io.redstats.testsupport.ServerControl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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
 * Promises 1, 2 and 3 against a broker crash: the Kafka broker is killed -9 in the middle of a load
 * of batches and comes back 20 s later. Every request is answered — 202, or 503 with {@code
 * Retry-After} (not confirmed), never a hang. After recovery every event answered 202 is in
 * ClickHouse exactly once; a batch answered 503 may be partly or wholly stored, and posting it
 * again, identical, until it is accepted leaves every one of its events stored exactly once too.
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

  /**
   * Longer than the ack timeout (10 s) plus one {@code max.block} (2 s): a request still without an
   * answer then is hanging.
   */
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration SETTLE = Duration.ofSeconds(120);

  /** The status of a request that got no answer within {@link #HTTP_TIMEOUT}. */
  private static final int NO_ANSWER = -1;

  /** Partitions of the topics (the default of {@code redstats.kafka.partitions}). */
  private static final int PARTITIONS = 6;

  private static OptionalInt partitionOf(Map<String, Long> row) {
    Long partition = row.get("kafka_partition");
    return partition == null ? OptionalInt.empty() : OptionalInt.of(partition.intValue());
  }

  /** One request's answer: its status, its Retry-After header (or null) and its body. */
  private record Answer(int status, String retryAfter, String body) {}

  @Test
  void brokerOutageAnswers503AndEveryAcceptedOrRetriedEventIsStoredOnce() throws Exception {
    // Given a broker this test run started itself (only those can be killed)
    ServerControl kafka = RealServers.shared().controlled(Server.KAFKA);
    long first = freshImageId();
    long timestamp = System.currentTimeMillis(); // the same in every post of a batch: a retry
    Map<Integer, Answer> answers = new ConcurrentHashMap<>();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger acceptedAfterRestart = new AtomicInteger();
    AtomicBoolean restarted = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();

    // When clients post new batches (not retrying one yet) while the broker is killed -9 after a
    // few of them and started again 20 s later, and go on until some more were accepted
    CompletableFuture<Void> outage =
        CompletableFuture.runAsync(
            () -> {
              while (accepted.get() < KILL_AFTER_BATCHES && !stop.get()) {
                Thread.onSpinWait();
              }
              kafka.kill9();
              sleep(OUTAGE);
              kafka.start();
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
                  Answer answer = postOnce(body(first, b, timestamp));
                  answers.put(b, answer);
                  if (answer.status() == 202) {
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

    // Then every request got an answer: 202, or 503 with Retry-After and the error body
    Map<Integer, Integer> byStatus = new TreeMap<>();
    answers.values().forEach(a -> byStatus.merge(a.status(), 1, Integer::sum));
    assertThat(byStatus.keySet()).as("statuses %s", byStatus).containsOnly(202, 503);
    assertThat(byStatus.get(503)).as("503 answers during the outage").isPositive();
    assertThat(acceptedAfterRestart.get()).isGreaterThanOrEqualTo(ACCEPTED_AFTER_RESTART);
    for (Answer refused : answersWith(answers, 503)) {
      assertThat(refused.retryAfter()).as("Retry-After of a 503").matches("[1-9][0-9]*");
      assertThat(refused.body()).contains("\"errors\"").contains("\"message\"");
    }
    List<Long> acceptedBatches = batchesAnswered(answers, 202);
    List<Long> refusedBatches = batchesAnswered(answers, 503);

    // And after recovery every event of a batch answered 202 is in ClickHouse exactly once
    long last = first + (long) MAX_BATCHES * BATCH - 1;
    ClickHouseRows rows = clickHouse();
    Map<Long, Long> acceptedExpected = perBatchExpected(acceptedBatches);
    ClickHouseRows.await(
        () -> storedOf(rows.countPerBlock(first, last, BATCH), acceptedBatches),
        n -> n >= (long) acceptedBatches.size() * BATCH,
        SETTLE);
    Map<Long, Long> storedPerBatch = rows.countPerBlock(first, last, BATCH);
    assertThat(storedPerBatch).containsAllEntriesOf(acceptedExpected);
    System.out.printf(
        "BrokerOutageIT: %d batches answered 202, %d answered 503; of these, stored before any"
            + " retry: %s%n",
        acceptedBatches.size(),
        refusedBatches.size(),
        refusedBatches.stream()
            .filter(storedPerBatch::containsKey)
            .map(b -> b + "=" + storedPerBatch.get(b))
            .toList());

    // When every batch answered 503 is posted again, identical, until it is accepted
    for (long batch : refusedBatches) {
      assertThat(postUntilAccepted(body(first, (int) batch, timestamp)))
          .as("batch %d posted again", batch)
          .isEqualTo(202);
    }

    // Then every event of every batch is in ClickHouse exactly once, and in the canonical topic
    Map<Long, Long> allExpected = perBatchExpected(batchesAnswered(answers, 202, 503));
    long expected = (long) allExpected.size() * BATCH;
    long stored =
        ClickHouseRows.await(() -> rows.countRange(first, last), n -> n >= expected, SETTLE);
    // A wrongly repeated row would be behind its first copy in its partition: once a marker
    // posted now is visible in every partition, it would be visible too.
    Markers.awaitBehindEverything(
        PARTITIONS,
        IngestITSupport::freshImageId,
        id -> assertThat(postJson(anEvent(id)).statusCode()).as("marker").isEqualTo(202),
        id -> partitionOf(rows.row(id)),
        SETTLE);
    assertThat(rows.countPerBlock(first, last, BATCH))
        .as("rows per batch (stored %d, retried batches %s)", stored, refusedBatches)
        .isEqualTo(allExpected);
    assertThat(rows.distinctInRange(first, last)).isEqualTo(rows.countRange(first, last));
    KafkaRecords kafkaRecords = new KafkaRecords(RealServers.shared().kafkaBootstrap());
    assertThat(perBatch(kafkaRecords.keys(Topics.CANONICAL.name()), first))
        .as("canonical records per batch")
        .isEqualTo(allExpected);
  }

  private static Collection<Answer> answersWith(Map<Integer, Answer> answers, int status) {
    return answers.values().stream().filter(a -> a.status() == status).toList();
  }

  private static List<Long> batchesAnswered(Map<Integer, Answer> answers, Integer... statuses) {
    List<Integer> wanted = List.of(statuses);
    return answers.entrySet().stream()
        .filter(e -> wanted.contains(e.getValue().status()))
        .map(e -> (long) e.getKey())
        .sorted()
        .toList();
  }

  private static Map<Long, Long> perBatchExpected(List<Long> batches) {
    Map<Long, Long> expected = new TreeMap<>();
    batches.forEach(b -> expected.put(b, (long) BATCH));
    return expected;
  }

  private static long storedOf(Map<Long, Long> perBatch, List<Long> batches) {
    return batches.stream().mapToLong(b -> perBatch.getOrDefault(b, 0L)).sum();
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

  /** Posts a batch until it is answered 202, as RED does; the last status. */
  private int postUntilAccepted(String body) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    int status = NO_ANSWER;
    while (status != 202 && System.nanoTime() < deadline) {
      status = postOnce(body).status();
      if (status != 202) {
        Thread.sleep(PAUSE_AFTER_503.toMillis());
      }
    }
    return status;
  }

  /** Posts one batch once. */
  private Answer postOnce(String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats"))
            .timeout(HTTP_TIMEOUT)
            .header("Content-Type", "application/x-ndjson")
            .header("Authorization", "Bearer " + ingestToken())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Retry-After").orElse(null),
          response.body());
    } catch (IOException e) {
      return new Answer(NO_ANSWER, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(NO_ANSWER, null, e.toString());
    }
  }

  /** The events of one batch; the same text every time for the same batch and timestamp. */
  private static String body(long first, int batch, long timestamp) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < BATCH; i++) {
      long imageId = first + (long) batch * BATCH + i;
      body.append("{\"image_id\":")
          .append(imageId)
          .append(",\"client_id\":")
          .append(1 + i % 50)
          .append(",\"timestamp\":")
          .append(timestamp - i)
          .append(",\"red\":0.5}\n");
    }
    return body.toString();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
