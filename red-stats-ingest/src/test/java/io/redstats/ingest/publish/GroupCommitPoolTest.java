package io.redstats.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group-commit logic against Kafka's MockProducer: mostly one lane, so every outcome is
 * certain.
 */
class GroupCommitPoolTest {

  private final List<MockProducer<Long, StatEvent>> producers = new CopyOnWriteArrayList<>();
  private final List<String> transactionalIds = new CopyOnWriteArrayList<>();
  private final Map<String, MockProducer<Long, StatEvent>> lanes = new ConcurrentHashMap<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PublishMetrics metrics = new PublishMetrics(registry);
  private Consumer<MockProducer<Long, StatEvent>> onCreate = p -> {};
  private GroupCommitPool pool;

  @AfterEach
  void close() {
    if (pool != null) {
      pool.close();
    }
  }

  private static PublishProperties properties(
      Duration ackTimeout, Duration commitInterval, int commitRecords) {
    return properties(ackTimeout, commitInterval, commitRecords, Duration.ofMillis(50));
  }

  private static PublishProperties properties(
      Duration ackTimeout, Duration commitInterval, int commitRecords, Duration backoff) {
    return new PublishProperties(
        ackTimeout,
        Duration.ofMillis(100),
        Duration.ofSeconds(9),
        Duration.ofSeconds(5),
        0,
        1,
        "test-",
        "node",
        Duration.ofSeconds(20),
        commitInterval,
        commitRecords,
        backoff);
  }

  private GroupCommitPool start(PublishProperties properties) {
    pool =
        new GroupCommitPool(
            List.of("test-node-0"),
            id -> {
              MockProducer<Long, StatEvent> producer =
                  new MockProducer<>(
                      true,
                      null,
                      Topics.RAW.keySerde().serializer(),
                      Topics.RAW.valueSerde().serializer());
              transactionalIds.add(id);
              onCreate.accept(producer);
              producers.add(producer);
              return producer;
            },
            properties,
            metrics);
    pool.start();
    return pool;
  }

  /** Waits until the first producer is initialized (class loading may be slow on a busy box). */
  private MockProducer<Long, StatEvent> awaitFirstProducer() throws InterruptedException {
    long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while ((producers.isEmpty() || !producers.get(0).transactionInitialized())
        && System.nanoTime() < waitUntil) {
      Thread.sleep(5);
    }
    Thread.sleep(50);
    return producers.get(0);
  }

  private static void awaitAborted(MockProducer<Long, StatEvent> producer)
      throws InterruptedException {
    long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!producer.transactionAborted() && System.nanoTime() < waitUntil) {
      Thread.sleep(5);
    }
  }

  private static List<StatEvent> events(long firstImageId, int count) {
    List<StatEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(new StatEvent(firstImageId + i, 7, 1_763_900_000_000L, 85_000));
    }
    return events;
  }

  private static List<Long> keys(List<ProducerRecord<Long, StatEvent>> records) {
    return records.stream().map(ProducerRecord::key).toList();
  }

  private double requestsPerTransaction() {
    return registry.get("redstats.publish.transaction.requests").summary().mean();
  }

  @Test
  void concurrentRequestsShareOneCommittedTransaction() throws Exception {
    // Given a transaction that commits once it holds 5 records, and never because of time
    start(properties(Duration.ofSeconds(30), Duration.ofSeconds(20), 5));

    // When 5 requests of one event arrive concurrently
    ExecutorService clients = Executors.newFixedThreadPool(5);
    List<Future<?>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long imageId = 100 + i;
      answers.add(clients.submit(() -> pool.publish(events(imageId, 1))));
    }
    for (Future<?> answer : answers) {
      answer.get();
    }
    clients.shutdown();

    // Then all 5 were answered by one committed transaction holding every record
    assertThat(metrics.count("committed")).isEqualTo(1);
    assertThat(requestsPerTransaction()).isEqualTo(5);
    MockProducer<Long, StatEvent> producer = producers.get(0);
    assertThat(producer.transactionCommitted()).isTrue();
    assertThat(keys(producer.history())).containsExactlyInAnyOrder(100L, 101L, 102L, 103L, 104L);
    assertThat(transactionalIds).containsExactly("test-node-0");
  }

  /** A pool whose producers take 300 ms to send image 1 (a big batch on a busy box). */
  private void startWithSlowImageOne(List<String> ids) throws InterruptedException {
    startLanes(ids, slowSending(1L, 300));
  }

  /**
   * Producers on which sending image {@code slowImage} (every image: null) takes {@code millis}.
   */
  private static Function<String, MockProducer<Long, StatEvent>> slowSending(
      Long slowImage, long millis) {
    return id ->
        new MockProducer<>(
            true, null, Topics.RAW.keySerde().serializer(), Topics.RAW.valueSerde().serializer()) {
          @Override
          public synchronized Future<org.apache.kafka.clients.producer.RecordMetadata> send(
              ProducerRecord<Long, StatEvent> record,
              org.apache.kafka.clients.producer.Callback callback) {
            if (slowImage == null || slowImage.equals(record.key())) {
              sleep(millis);
            }
            return super.send(record, callback);
          }
        };
  }

  /**
   * Starts a pool with a lane per id, each on the producer {@code producerFor} makes for it (commit
   * interval 5 ms unless given), and waits until every producer is initialized.
   */
  private void startLanes(
      List<String> ids, Function<String, MockProducer<Long, StatEvent>> producerFor)
      throws InterruptedException {
    startLanes(ids, producerFor, Duration.ofMillis(5));
  }

  private void startLanes(
      List<String> ids,
      Function<String, MockProducer<Long, StatEvent>> producerFor,
      Duration commitInterval)
      throws InterruptedException {
    pool =
        new GroupCommitPool(
            ids,
            id -> {
              MockProducer<Long, StatEvent> producer = producerFor.apply(id);
              lanes.put(id, producer);
              producers.add(producer);
              return producer;
            },
            properties(Duration.ofSeconds(30), commitInterval, 20_000),
            metrics);
    pool.start();
    long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while ((lanes.size() < ids.size()
            || !lanes.values().stream().allMatch(MockProducer::transactionInitialized))
        && System.nanoTime() < waitUntil) {
      Thread.sleep(5);
    }
    Thread.sleep(50);
  }

  @Test
  void requestsArrivingWhileABatchIsStillSendingShareItsCommit() throws Exception {
    // Given one lane, on which sending image 1 takes 300 ms
    startWithSlowImageOne(List.of("test-node-0"));

    // When a second request arrives while the first is still sending
    ExecutorService clients = Executors.newFixedThreadPool(2);
    Future<?> slow = clients.submit(() -> pool.publish(events(1, 1)));
    Thread.sleep(100);
    Future<?> quick = clients.submit(() -> pool.publish(events(2, 1)));
    slow.get();
    quick.get();
    clients.shutdown();

    // Then both were committed in one transaction (joining beat waiting for the only lane)
    assertThat(metrics.count("committed")).isEqualTo(1);
    assertThat(requestsPerTransaction()).isEqualTo(2);
    assertThat(keys(producers.get(0).history())).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void aDueTransactionCommitsWhenItsLastSenderFinishesNotAtTheLongestOpenTime() throws Exception {
    // Given a commit interval of 100 ms (a transaction stays open at most 50 of them: 5 s)
    startLanes(List.of("test-node-0"), slowSending(null, 400), Duration.ofMillis(100));

    // When a request is still sending (400 ms) after its transaction became due
    long start = System.nanoTime();
    pool.publish(events(1, 1));

    // Then the lane heard the send end and committed, instead of sleeping until the 5 s limit
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(metrics.count("committed")).isEqualTo(1);
  }

  @Test
  void aTransactionWaitsForTheRunningCommitAndTakesEveryoneWhoArrivedMeanwhile() throws Exception {
    // Given two lanes, the first of which commits only when the test lets it
    CountDownLatch release = new CountDownLatch(1);
    startLanes(
        List.of("test-node-0", "test-node-1"),
        id ->
            new MockProducer<>(
                true,
                null,
                Topics.RAW.keySerde().serializer(),
                Topics.RAW.valueSerde().serializer()) {
              @Override
              public void commitTransaction() {
                if (id.equals("test-node-0")) {
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
                super.commitTransaction();
              }
            });

    // When a first request's commit is running, and two more arrive 100 ms apart (each 20 commit
    // intervals)
    ExecutorService clients = Executors.newFixedThreadPool(3);
    Future<?> first = clients.submit(() -> pool.publish(events(1, 1)));
    Thread.sleep(100);
    Future<?> second = clients.submit(() -> pool.publish(events(2, 1)));
    Thread.sleep(100);
    Future<?> third = clients.submit(() -> pool.publish(events(3, 1)));
    Thread.sleep(100);
    boolean answeredDuringTheCommit = first.isDone() || second.isDone() || third.isDone();
    release.countDown();
    first.get();
    second.get();
    third.get();
    clients.shutdown();

    // Then the second waited for the running commit, and the third joined its transaction
    assertThat(answeredDuringTheCommit).isFalse();
    assertThat(lanes.get("test-node-1").commitCount()).isEqualTo(1);
    assertThat(keys(lanes.get("test-node-1").history())).containsExactlyInAnyOrder(2L, 3L);
    assertThat(keys(lanes.get("test-node-0").history())).containsExactly(1L);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aRequestAloneCommitsAfterTheCommitInterval() {
    start(properties(Duration.ofSeconds(30), Duration.ofMillis(5), 20_000));

    pool.publish(events(1, 3));
    pool.publish(events(10, 2));

    assertThat(metrics.count("committed")).isEqualTo(2);
    assertThat(keys(producers.get(0).history())).containsExactly(1L, 2L, 3L, 10L, 11L);
  }

  @Test
  void failedCommitAbortsAnswers503AndTheNextRequestSucceeds() throws Exception {
    // Given a commit that fails with an abortable error
    onCreate = p -> p.commitTransactionException = new KafkaException("broker said no");
    start(properties(Duration.ofSeconds(30), Duration.ofMillis(5), 20_000));

    // When a request is published, then it is refused and nothing of it is committed
    assertThatThrownBy(() -> pool.publish(events(1, 3)))
        .isInstanceOf(KafkaUnavailableException.class)
        .hasMessageContaining("broker said no");
    MockProducer<Long, StatEvent> producer = producers.get(0);
    awaitAborted(producer);
    assertThat(producer.transactionAborted()).isTrue();
    assertThat(producer.history()).isEmpty();
    assertThat(metrics.count("aborted")).isEqualTo(1);

    // And once commits work again, the same producer serves the next request
    producer.commitTransactionException = null;
    pool.publish(events(20, 1));
    assertThat(keys(producer.history())).containsExactly(20L);
    assertThat(producers).hasSize(1);
  }

  @Test
  void failedSendAbortsTheWholeTransaction() throws Exception {
    onCreate = p -> p.sendException = new KafkaException("buffer full");
    start(properties(Duration.ofSeconds(30), Duration.ofMillis(5), 20_000));

    assertThatThrownBy(() -> pool.publish(events(1, 2)))
        .isInstanceOf(KafkaUnavailableException.class);
    awaitAborted(producers.get(0));

    assertThat(producers.get(0).history()).isEmpty();
    assertThat(metrics.count("committed")).isZero();
    assertThat(metrics.count("aborted")).isEqualTo(1);
  }

  @Test
  void abortThatFailsReplacesTheProducerWithTheSameTransactionalId() throws Exception {
    // Given a producer whose commit and abort both fail (it is unusable)
    onCreate =
        p -> {
          if (producers.isEmpty()) {
            p.commitTransactionException = new KafkaException("fenced");
            p.abortTransactionException = new KafkaException("still fenced");
          }
        };
    start(properties(Duration.ofSeconds(30), Duration.ofMillis(5), 20_000));

    // When a request fails on it
    assertThatThrownBy(() -> pool.publish(events(1, 1)))
        .isInstanceOf(KafkaUnavailableException.class);

    // Then the lane closes it and initializes a new one with the same id, which serves the next
    pool.publish(events(5, 1));
    assertThat(producers).hasSize(2);
    assertThat(producers.get(0).closed()).isTrue();
    assertThat(producers.get(1).transactionInitialized()).isTrue();
    assertThat(transactionalIds).containsExactly("test-node-0", "test-node-0");
    assertThat(keys(producers.get(1).history())).containsExactly(5L);
    assertThat(registry.get("redstats.publish.producer.replacements").counter().count())
        .isEqualTo(1);
  }

  @Test
  void commitTimeoutAfterEveryAckIsUncertainAndReplacesTheProducer() {
    // Given a commit that times out after the broker acknowledged every record
    onCreate =
        p -> {
          if (producers.isEmpty()) {
            p.commitTransactionException = new TimeoutException("no answer to EndTxn");
          }
        };
    start(properties(Duration.ofSeconds(30), Duration.ofMillis(5), 20_000));

    // Then the request is answered 503, counted uncertain, and the producer is replaced
    assertThatThrownBy(() -> pool.publish(events(1, 2)))
        .isInstanceOf(KafkaUnavailableException.class);
    assertThat(metrics.count("uncertain")).isEqualTo(1);
    assertThat(metrics.count("aborted")).isZero();

    pool.publish(events(9, 1));
    assertThat(producers).hasSize(2);
    assertThat(producers.get(0).closed()).isTrue();
    assertThat(keys(producers.get(1).history())).containsExactly(9L);
  }

  @Test
  void requestThatRunsOutOfTimeGets503AndItsTransactionIsAborted() throws Exception {
    // Given transactions that would stay open far longer than a request may wait
    start(properties(Duration.ofMillis(300), Duration.ofSeconds(20), 20_000));
    MockProducer<Long, StatEvent> producer = awaitFirstProducer();

    // When a request waits for one
    long start = System.nanoTime();
    assertThatThrownBy(() -> pool.publish(events(1, 1)))
        .isInstanceOf(KafkaUnavailableException.class)
        .hasMessageContaining("did not commit the records within");

    // Then it hears 503 within its ack timeout, and the transaction is aborted, never committed
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    awaitAborted(producer);
    assertThat(metrics.count("aborted")).as("aborted").isEqualTo(1);
    assertThat(producer.transactionAborted()).isTrue();
    assertThat(producer.history()).isEmpty();
    assertThat(metrics.count("committed")).isZero();
  }

  @Test
  void producerThatCannotStartIsRetriedInTheBackgroundAndRequestsFailFastMeanwhile()
      throws Exception {
    // Given a broker that is down for the first two attempts to initialize a producer
    onCreate =
        p -> {
          if (producers.size() < 2) {
            p.initTransactionException = new TimeoutException("broker down");
          }
        };
    // (backoff 1 s, then 2 s: the third attempt comes 3 s after the first)
    start(properties(Duration.ofSeconds(30), Duration.ofMillis(5), 20_000, Duration.ofSeconds(1)));
    long waitUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (producers.size() < 1 && System.nanoTime() < waitUntil) {
      Thread.sleep(5);
    }
    Thread.sleep(200);

    // Then a request meanwhile is refused at once rather than waiting its whole ack timeout
    assertThatThrownBy(() -> pool.publish(events(1, 1)))
        .isInstanceOf(KafkaUnavailableException.class)
        .hasMessageContaining("no producer can reach Kafka");

    // And once a producer initializes, requests are served
    while ((producers.size() < 3 || !producers.get(2).transactionInitialized())
        && System.nanoTime() < waitUntil) {
      Thread.sleep(10);
    }
    Thread.sleep(200);
    pool.publish(events(2, 1));
    assertThat(keys(producers.get(2).history())).containsExactly(2L);
  }
}
