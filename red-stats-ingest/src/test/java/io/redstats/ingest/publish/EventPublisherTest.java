package io.redstats.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import io.redstats.ingest.config.KafkaProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher's error policy against Kafka's MockProducer: 202 only when every record is
 * acknowledged; any failure, a send that throws, or the ack timeout → {@link
 * KafkaUnavailableException} carrying the Retry-After.
 */
class EventPublisherTest {

  private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  /** Long enough that a test finishing early proves the publisher did not wait for it. */
  private static final Duration LONG_ACK_TIMEOUT = Duration.ofMinutes(10);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private MockProducer<Long, StatEvent> producer;

  @AfterEach
  void close() {
    if (producer != null && !producer.closed()) {
      producer.close();
    }
  }

  private EventPublisher publisher(boolean autoComplete, Duration ackTimeout) {
    producer =
        new MockProducer<>(
            autoComplete,
            null,
            Topics.RAW.keySerde().serializer(),
            Topics.RAW.valueSerde().serializer());
    PublishProperties properties =
        new PublishProperties(
            ackTimeout, Duration.ofMillis(10), Duration.ofSeconds(9), RETRY_AFTER, 0);
    return new EventPublisher(producer, properties, registry);
  }

  private static List<StatEvent> events(long firstImageId, int count) {
    List<StatEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(new StatEvent(firstImageId + i, 7, 1_763_900_000_000L, 85_000));
    }
    return events;
  }

  /** Publishes on another thread, and waits until every record of it reached the producer. */
  private CompletableFuture<Void> publishAsync(EventPublisher publisher, List<StatEvent> events)
      throws InterruptedException {
    int before = producer.history().size();
    CompletableFuture<Void> result = CompletableFuture.runAsync(() -> publisher.publish(events));
    while (producer.history().size() < before + events.size() && !result.isDone()) {
      Thread.sleep(1);
    }
    return result;
  }

  private static KafkaUnavailableException unavailable(CompletableFuture<Void> result)
      throws Exception {
    try {
      result.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(KafkaUnavailableException.class);
      return (KafkaUnavailableException) e.getCause();
    }
    throw new AssertionError("published although it should have failed");
  }

  private double requests(String outcome) {
    return registry.get("redstats.publish.requests").tag("outcome", outcome).timer().count();
  }

  @Test
  void everyRecordAcknowledgedReturnsWithEachEventKeyedByImageIdInTheRawTopic() {
    // Given a producer that acknowledges every record
    EventPublisher publisher = publisher(true, LONG_ACK_TIMEOUT);
    List<StatEvent> events = events(100, 3);

    // When a request publishes three events
    publisher.publish(events);

    // Then each is in the raw topic under its image_id, and the request counts as acknowledged
    assertThat(producer.history())
        .extracting(ProducerRecord::topic, ProducerRecord::key, ProducerRecord::value)
        .containsExactly(
            tuple(Topics.RAW.name(), 100L, events.get(0)),
            tuple(Topics.RAW.name(), 101L, events.get(1)),
            tuple(Topics.RAW.name(), 102L, events.get(2)));
    assertThat(requests("acknowledged")).isEqualTo(1);
  }

  @Test
  void returnsOnlyAfterTheLastRecordIsAcknowledged() throws Exception {
    // Given a producer that acknowledges only when told
    EventPublisher publisher = publisher(false, LONG_ACK_TIMEOUT);

    // When two of three records are acknowledged
    CompletableFuture<Void> result = publishAsync(publisher, events(200, 3));
    producer.completeNext();
    producer.completeNext();

    // Then the request still waits; the third acknowledgement ends it
    assertThat(result).isNotDone();
    producer.completeNext();
    result.get(30, TimeUnit.SECONDS);
    assertThat(requests("acknowledged")).isEqualTo(1);
  }

  @Test
  void aRecordKafkaFailsIsUnavailableAtOnceWithRetryAfter() throws Exception {
    // Given a request of three records waiting for Kafka, with a ten-minute ack timeout
    EventPublisher publisher = publisher(false, LONG_ACK_TIMEOUT);
    CompletableFuture<Void> result = publishAsync(publisher, events(300, 3));

    // When Kafka acknowledges the first and fails the second (the third still pending)
    producer.completeNext();
    producer.errorNext(new NotEnoughReplicasException("min.insync.replicas not met"));

    // Then the request is answered unavailable without waiting for the third or the ack timeout
    KafkaUnavailableException e = unavailable(result);
    assertThat(e.retryAfter()).isEqualTo(RETRY_AFTER);
    assertThat(e).hasRootCauseInstanceOf(NotEnoughReplicasException.class);
    assertThat(requests("failed")).isEqualTo(1);
    assertThat(requests("acknowledged")).isZero();
  }

  @Test
  void noAcknowledgementWithinTheAckTimeoutIsUnavailable() throws Exception {
    // Given a producer that never acknowledges (a broker that is down)
    EventPublisher publisher = publisher(false, Duration.ofMillis(200));

    // When a request publishes
    CompletableFuture<Void> result = publishAsync(publisher, events(400, 2));

    // Then it is answered unavailable once the ack timeout passed
    KafkaUnavailableException e = unavailable(result);
    assertThat(e.retryAfter()).isEqualTo(RETRY_AFTER);
    assertThat(e).hasMessageContaining("within");
    assertThat(requests("timed_out")).isEqualTo(1);
  }

  @Test
  void aSendThatThrowsIsUnavailableAndStopsSending() {
    // Given a producer whose send throws (no buffer space or metadata within max.block.ms)
    EventPublisher publisher = publisher(true, LONG_ACK_TIMEOUT);
    producer.sendException = new TimeoutException("buffer full");

    // When a request publishes, then it is answered unavailable with the Retry-After
    assertThatThrownBy(() -> publisher.publish(events(500, 3)))
        .isInstanceOfSatisfying(
            KafkaUnavailableException.class, e -> assertThat(e.retryAfter()).isEqualTo(RETRY_AFTER))
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(requests("failed")).isEqualTo(1);
  }

  @Test
  void aClosedProducerIsUnavailable() {
    // Given the producer closed (the node shutting down)
    EventPublisher publisher = publisher(true, LONG_ACK_TIMEOUT);
    producer.close();

    // When a request publishes, then it is answered unavailable, not a 500
    assertThatThrownBy(() -> publisher.publish(events(600, 1)))
        .isInstanceOf(KafkaUnavailableException.class);
  }

  @Test
  void anInterruptedWaitIsUnavailableAndKeepsTheInterrupt() throws Exception {
    // Given a request waiting for an acknowledgement that never comes
    EventPublisher publisher = publisher(false, LONG_ACK_TIMEOUT);
    CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
    CompletableFuture<KafkaUnavailableException> thrown = new CompletableFuture<>();
    Thread request =
        new Thread(
            () -> {
              try {
                publisher.publish(events(700, 1));
              } catch (KafkaUnavailableException e) {
                thrown.complete(e);
              }
              interruptKept.complete(Thread.currentThread().isInterrupted());
            });
    request.start();
    while (producer.history().isEmpty()) {
      Thread.sleep(1);
    }

    // When its thread is interrupted
    request.interrupt();

    // Then it is answered unavailable and the thread still knows it was interrupted
    assertThat(thrown.get(30, TimeUnit.SECONDS)).isNotNull();
    assertThat(interruptKept.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anEmptyRequestSendsNothingAndReturns() {
    EventPublisher publisher = publisher(false, LONG_ACK_TIMEOUT);

    publisher.publish(List.of());

    assertThat(producer.history()).isEmpty();
  }

  @Test
  void theProducerIsIdempotentWithAcksAll() {
    Map<String, Object> config =
        EventPublisher.config(
            new KafkaProperties("broker:9092", 6, (short) 1),
            new PublishProperties(
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                Duration.ofSeconds(9),
                RETRY_AFTER,
                5));

    assertThat(config)
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .containsEntry("client.id", EventPublisher.CLIENT_ID)
        .doesNotContainKey("transactional.id");
  }
}
