package io.redstats.ingest.publish;

import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import io.redstats.ingest.config.KafkaProperties;
import io.redstats.ingest.config.KafkaTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Writes accepted events to {@link Topics#RAW}, keyed by image_id, and returns only when Kafka has
 * every one of them (acks=all, idempotent producer) — or throws {@link KafkaUnavailableException}
 * within a bounded time.
 *
 * <p>A request answered 503 may have had some of its records written; the client retries and the
 * dedup topology makes the repeat harmless. A request answered 202 is never lost.
 */
@Component
public class EventPublisher implements DisposableBean {

  private final Producer<Long, StatEvent> producer;
  private final PublishProperties properties;

  @Autowired
  public EventPublisher(KafkaProperties kafka, PublishProperties properties, KafkaTopics topics) {
    this(
        new KafkaProducer<>(
            config(kafka, properties),
            Topics.RAW.keySerde().serializer(),
            Topics.RAW.valueSerde().serializer()),
        properties);
  }

  EventPublisher(Producer<Long, StatEvent> producer, PublishProperties properties) {
    this.producer = producer;
    this.properties = properties;
  }

  static Map<String, Object> config(KafkaProperties kafka, PublishProperties properties) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
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

  /** Sends every event and waits for all acknowledgements, at most the configured ack timeout. */
  public void publish(List<StatEvent> events) {
    long deadline = System.nanoTime() + properties.ackTimeout().toNanos();
    List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
    try {
      for (StatEvent event : events) {
        acks.add(producer.send(new ProducerRecord<>(Topics.RAW.name(), event.imageId(), event)));
      }
      for (Future<RecordMetadata> ack : acks) {
        long left = Math.max(0, deadline - System.nanoTime());
        ack.get(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while waiting for Kafka", e);
    } catch (ExecutionException e) {
      throw unavailable("Kafka refused the records: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw unavailable(
          "Kafka did not acknowledge the records within " + properties.ackTimeout(), e);
    } catch (KafkaException e) {
      throw unavailable("Kafka cannot take records now: " + e.getMessage(), e);
    }
  }

  private KafkaUnavailableException unavailable(String message, Throwable cause) {
    return new KafkaUnavailableException(message, properties.retryAfter(), cause);
  }

  @Override
  public void destroy() {
    producer.close();
  }
}
