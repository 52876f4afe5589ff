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
    return new KafkaConsumer<>(props);
  }
}
