package io.redstats.ingest.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import io.redstats.ingest.config.KafkaProperties;
import io.redstats.ingest.publish.PublishMetrics.Outcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * Writes accepted events to {@link Topics#RAW}, keyed by image_id, with one idempotent producer
 * (acks=all) shared by every request, and returns only when Kafka acknowledged every event of the
 * request — or throws {@link KafkaUnavailableException} within the ack timeout.
 *
 * <p>Error policy: any record Kafka reports as failed, a {@code send} that throws (buffer full past
 * {@code max.block.ms}, no metadata, the producer closed at shutdown), an interrupt, or the ack
 * timeout passing → {@link KafkaUnavailableException} at once (503 with {@code Retry-After}).
 * Nothing is retried here beyond the producer's own retries within {@code delivery.timeout.ms}: the
 * client retries. A 503 means "not confirmed": some or all of the request's records may be stored
 * (written before the failure, or still in the producer's buffer and written later). That is safe
 * because the dedup topology keeps the first record of every image_id: the client's retry with the
 * same image_ids is counted once. A 202 is never lost (acks=all).
 *
 * <p>The producer's own metrics (Kafka's, {@code kafka_producer_*}: requests and their sizes,
 * records per request, batch sizes, request latency) are exported as well.
 */
@Component
@DependsOn("kafkaTopics") // the raw topic exists before the first send
public class EventPublisher implements DisposableBean {

  static final String CLIENT_ID = "redstats-ingest";

  private final Producer<Long, StatEvent> producer;
  private final PublishProperties properties;
  private final PublishMetrics metrics;
  private final KafkaClientMetrics producerMetrics;

  @Autowired
  public EventPublisher(
      KafkaProperties kafka, PublishProperties properties, MeterRegistry registry) {
    this(
        new KafkaProducer<>(
            config(kafka, properties),
            Topics.RAW.keySerde().serializer(),
            Topics.RAW.valueSerde().serializer()),
        properties,
        registry);
  }

  EventPublisher(
      Producer<Long, StatEvent> producer, PublishProperties properties, MeterRegistry registry) {
    this.producer = producer;
    this.properties = properties;
    this.metrics = new PublishMetrics(registry);
    this.producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(registry);
  }

  static Map<String, Object> config(KafkaProperties kafka, PublishProperties properties) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    // The label of its kafka_producer_* meters and of its requests in the broker's logs.
    config.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, properties.lingerMs());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) properties.maxBlock().toMillis());
    int delivery = (int) properties.deliveryTimeout().toMillis();
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
    // Kafka insists delivery.timeout >= linger + request.timeout; one request may use all of it.
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, delivery - properties.lingerMs());
    return config;
  }

  /**
   * Sends every event and waits until Kafka acknowledged all of them, at most the ack timeout.
   *
   * @throws KafkaUnavailableException when that is not confirmed (see the class comment)
   */
  public void publish(List<StatEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    long deadline = start + properties.ackTimeout().toNanos();
    Acks acks = new Acks(events.size());
    try {
      for (StatEvent event : events) {
        producer.send(new ProducerRecord<>(Topics.RAW.name(), event.imageId(), event), acks);
        if (acks.failure != null || System.nanoTime() - deadline > 0) {
          break; // the rest would not make the request confirmed, or not in time
        }
      }
      if (!acks.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw unavailable(
            Outcome.TIMED_OUT,
            start,
            "Kafka did not acknowledge every record within " + properties.ackTimeout(),
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(Outcome.FAILED, start, "interrupted while waiting for Kafka", e);
    } catch (KafkaException | IllegalStateException e) {
      // KafkaException: no metadata or buffer space within max.block.ms, a fatal producer error;
      // IllegalStateException: the producer was closed (the node is shutting down).
      throw unavailable(Outcome.FAILED, start, "Kafka cannot take records now: " + e, e);
    }
    if (acks.failure != null) {
      throw unavailable(
          Outcome.FAILED, start, "Kafka did not write a record: " + acks.failure, acks.failure);
    }
    metrics.record(Outcome.ACKNOWLEDGED, System.nanoTime() - start);
  }

  private KafkaUnavailableException unavailable(
      Outcome outcome, long start, String message, Throwable cause) {
    metrics.record(outcome, System.nanoTime() - start);
    return new KafkaUnavailableException(message, properties.retryAfter(), cause);
  }

  @Override
  public void destroy() {
    producerMetrics.close();
    producer.close();
  }

  /**
   * One request's acknowledgements, counted by the producer's I/O thread: done when the last record
   * is acknowledged, or at the first failure (the request is answered 503 without waiting for the
   * rest).
   */
  private static final class Acks implements Callback {

    final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger pending;
    volatile Exception failure;

    Acks(int records) {
      this.pending = new AtomicInteger(records);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (exception != null) {
        if (failure == null) {
          failure = exception;
        }
        done.countDown();
      } else if (pending.decrementAndGet() == 0) {
        done.countDown();
      }
    }
  }
}
