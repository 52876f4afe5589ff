package io.redstats.notifier.feed;

import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumers of the canonical topic. They are assigned partitions by hand and commit nothing: every
 * node reads every partition (broadcast), and where a client stands lives in its resume token, not
 * in a consumer group. Values stay bytes so one corrupt record is skipped, not fatal.
 */
final class KafkaConsumers {

  private KafkaConsumers() {}

  static KafkaConsumer<byte[], byte[]> create(String bootstrapServers, String purpose) {
    return new KafkaConsumer<>(properties(bootstrapServers, purpose));
  }

  private static Properties properties(String bootstrapServers, String purpose) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(
        ConsumerConfig.CLIENT_ID_CONFIG, "redstats-notifier-" + purpose + "-" + UUID.randomUUID());
    // Only what the dedup topology committed: an aborted transaction never alerts anyone.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Ingest creates the topic with its partition count; a notifier must never guess one.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  /**
   * The live feed's consumer: its fetches gather records for up to {@link
   * FeedProperties#liveFetchMaxWait}.
   */
  static KafkaConsumer<byte[], byte[]> createLive(FeedProperties properties) {
    Properties props = properties(properties.bootstrapServers(), "live");
    props.put(
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
        Long.toString(properties.liveFetchMaxWait().toMillis()));
    props.put(
        ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
        Long.toString(Math.min(Integer.MAX_VALUE, properties.liveFetchMinBytes().toBytes())));
    return new KafkaConsumer<>(props);
  }
}
