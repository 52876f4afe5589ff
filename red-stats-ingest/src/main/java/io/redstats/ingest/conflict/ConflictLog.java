package io.redstats.ingest.conflict;

import io.redstats.contract.event.ImageConflict;
import io.redstats.contract.event.Topics;
import io.redstats.ingest.config.KafkaProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Reads {@link Topics#CONFLICTS} for {@code GET /conflicts}: pages in topic order from a cursor of
 * partition offsets, so every node answers the same and a reader that keeps the cursor misses
 * nothing (within the topic's retention).
 *
 * <p>One consumer, no group (nothing is committed: the caller keeps the cursor), {@code
 * read_committed} because the dedup writes conflicts in its exactly-once transactions. Pages are
 * rare (RED polls every few seconds, admins by hand), so requests take turns on it.
 */
@Component
class ConflictLog implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ConflictLog.class);

  /** How long one page may wait for the broker before it answers with what it has. */
  private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(3);

  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<Long, ImageConflict> consumer;

  ConflictLog(KafkaProperties kafka) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "redstats-conflict-log");
    this.consumer =
        new KafkaConsumer<>(
            config,
            Topics.CONFLICTS.keySerde().deserializer(),
            Topics.CONFLICTS.valueSerde().deserializer());
  }

  /** A page of conflicts and the cursor to ask for the next one with. */
  record Page(List<ImageConflict> conflicts, ConflictCursor next) {}

  /**
   * Up to {@code limit} conflicts after {@code after} that {@code visible} lets through; the cursor
   * moves past the ones it hides too.
   */
  synchronized Page read(ConflictCursor after, int limit, Predicate<ImageConflict> visible) {
    List<TopicPartition> partitions = partitions();
    consumer.assign(partitions);
    Map<Integer, Long> next = new HashMap<>();
    for (TopicPartition partition : partitions) {
      long from = after.offset(partition.partition());
      if (from < 0) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, from);
      }
    }
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    for (TopicPartition partition : partitions) {
      next.put(partition.partition(), consumer.position(partition));
    }
    List<ImageConflict> page = new ArrayList<>();
    long deadline = System.nanoTime() + PAGE_TIMEOUT.toNanos();
    while (page.size() < limit && !caughtUp(ends, next) && System.nanoTime() < deadline) {
      for (ConsumerRecord<Long, ImageConflict> record : poll()) {
        if (page.size() >= limit) {
          break;
        }
        next.put(record.partition(), record.offset() + 1);
        if (record.value() != null && visible.test(record.value())) {
          page.add(record.value());
        }
      }
      if (page.size() < limit) {
        // transaction markers sit between records: once a partition is read, its position is next
        for (TopicPartition partition : partitions) {
          next.put(
              partition.partition(),
              Math.max(next.get(partition.partition()), consumer.position(partition)));
        }
      }
    }
    return new Page(page, new ConflictCursor(next));
  }

  private boolean caughtUp(Map<TopicPartition, Long> ends, Map<Integer, Long> next) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (next.get(end.getKey().partition()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** One poll; a record that cannot be read is skipped with a log line naming it. */
  private Iterable<ConsumerRecord<Long, ImageConflict>> poll() {
    try {
      return consumer.poll(POLL);
    } catch (RecordDeserializationException e) {
      log.warn(
          "skipping unreadable conflict record {}@{}: {}",
          e.topicPartition(),
          e.offset(),
          e.getMessage());
      consumer.seek(e.topicPartition(), e.offset() + 1);
      return List.of();
    }
  }

  private List<TopicPartition> partitions() {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(Topics.CONFLICTS.name())) {
      partitions.add(new TopicPartition(info.topic(), info.partition()));
    }
    return partitions;
  }

  @Override
  public synchronized void destroy() {
    consumer.close();
  }
}
