package io.redstats.ingest.it;

import io.redstats.contract.event.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;

/** Reads a whole topic (committed records only) up to its current end, for counting keys. */
final class KafkaRecords {

  private final String bootstrap;

  KafkaRecords(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** How many records of {@code topic} have a key in {@code keys}. */
  long countKeys(String topic, Set<Long> keys) {
    return keys(topic).stream().filter(keys::contains).count();
  }

  List<Long> keys(String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    List<Long> keys = new ArrayList<>();
    try (KafkaConsumer<Long, byte[]> consumer =
        new KafkaConsumer<>(config, new LongDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!reached(consumer, end) && System.nanoTime() < deadline) {
        for (ConsumerRecord<Long, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          keys.add(r.key());
        }
      }
    }
    return keys;
  }

  private static boolean reached(
      KafkaConsumer<Long, byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  long raw(Set<Long> keys) {
    return countKeys(Topics.RAW.name(), keys);
  }

  long canonical(Set<Long> keys) {
    return countKeys(Topics.CANONICAL.name(), keys);
  }
}
