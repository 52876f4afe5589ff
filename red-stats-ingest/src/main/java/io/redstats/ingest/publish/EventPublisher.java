package io.redstats.ingest.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import io.redstats.ingest.config.KafkaProperties;
import io.redstats.ingest.config.KafkaTopics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Writes accepted events to {@link Topics#RAW}, keyed by image_id, in Kafka transactions shared by
 * concurrent requests (group commit, see {@link GroupCommitPool}), and returns only when the
 * request's transaction committed — or throws {@link KafkaUnavailableException} within the ack
 * timeout.
 *
 * <p>Why transactions: the dedup topology reads {@code read_committed}, so the records of a request
 * answered 503 (its transaction aborted) never reach the canonical topic or ClickHouse, even when
 * some of them were already written to the raw topic. A request answered 202 is never lost
 * (acks=all; the transaction committed).
 *
 * <p>The one uncertain case is a commit whose answer is lost ({@code commitTransaction} times out
 * after the broker had every record): the request is answered 503 although its events may be
 * stored. The client's retry is then harmless: the dedup topology drops the repeat. Counted by
 * {@code redstats.publish.transactions{outcome="uncertain"}}.
 *
 * <p>Each producer's own metrics (Kafka's, {@code kafka_producer_*} with its {@code client_id}:
 * requests and their sizes, records per request, batch sizes, request latency) are exported as
 * well; a replaced producer's meters leave with it.
 */
@Component
public class EventPublisher implements DisposableBean {

  private final GroupCommitPool pool;

  /** Kafka's metrics of each lane's current producer, by transactional id. */
  private final Map<String, KafkaClientMetrics> producerMetrics = new ConcurrentHashMap<>();

  public EventPublisher(
      KafkaProperties kafka,
      PublishProperties properties,
      KafkaTopics topics,
      MeterRegistry registry,
      @Value("${server.port:8081}") int serverPort) {
    Map<String, Object> config = config(kafka, properties);
    this.pool =
        new GroupCommitPool(
            transactionalIds(properties, serverPort),
            id -> {
              Map<String, Object> withId = new HashMap<>(config);
              withId.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
              KafkaProducer<Long, StatEvent> producer =
                  new KafkaProducer<>(
                      withId,
                      Topics.RAW.keySerde().serializer(),
                      Topics.RAW.valueSerde().serializer());
              bindMetrics(id, producer, registry);
              return producer;
            },
            properties,
            new PublishMetrics(registry));
    pool.start();
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
    config.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        (int) properties.transactionTimeout().toMillis());
    return config;
  }

  /** prefix + node id + index: stable across restarts of this node, distinct between nodes. */
  static List<String> transactionalIds(PublishProperties properties, int serverPort) {
    String node = properties.nodeId().isBlank() ? defaultNodeId(serverPort) : properties.nodeId();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < properties.producers(); i++) {
      ids.add(properties.transactionalIdPrefix() + node + "-" + i);
    }
    return ids;
  }

  private static String defaultNodeId(int serverPort) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    // A random port (0, tests) is not stable anyway; the process id keeps two such nodes apart.
    return host + "-" + (serverPort > 0 ? serverPort : "pid" + ProcessHandle.current().pid());
  }

  /**
   * Exports a lane's new producer's metrics. The pool creates one only after it closed the lane's
   * previous producer (same transactional id, so the same {@code client_id}): its meters are
   * removed first, and the new ones take their names.
   */
  private void bindMetrics(
      String transactionalId, KafkaProducer<?, ?> producer, MeterRegistry registry) {
    KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
    KafkaClientMetrics previous = producerMetrics.put(transactionalId, metrics);
    if (previous != null) {
      previous.close();
    }
    metrics.bindTo(registry);
  }

  /** Writes every event in a committed transaction, at most the configured ack timeout. */
  public void publish(List<StatEvent> events) {
    pool.publish(events);
  }

  @Override
  public void destroy() {
    pool.close();
    producerMetrics.values().forEach(KafkaClientMetrics::close);
  }
}
