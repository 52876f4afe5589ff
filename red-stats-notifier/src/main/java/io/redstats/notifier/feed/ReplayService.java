package io.redstats.notifier.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redstats.contract.event.EventJson;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Replays what a reconnecting client missed: every canonical record from its token's positions up
 * to the positions at which it joined the live feed, with a consumer of its own, so the live feed
 * never waits for a replay.
 *
 * <p>Error policy: a corrupt record is skipped and counted, as in the live feed. A replay that
 * makes no progress for {@code replayStallTimeout} (Kafka down) fails and the client is told to
 * come back with its token; a token whose positions were deleted by retention or that the topic
 * never had is refused with its own close code.
 */
public final class ReplayService implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ReplayService.class);

  /** Bounds a single metadata request so a down broker fails the replay instead of hanging it. */
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

  private final FeedProperties properties;
  private final ExecutorService executor;
  private final Counter replayed;
  private final Counter corruptRecords;

  public ReplayService(FeedProperties properties, MeterRegistry registry) {
    this.properties = properties;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            properties.replayThreads(),
            r -> {
              Thread t = new Thread(r, "replay-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.replayed = registry.counter("redstats.notifier.replay.records");
    this.corruptRecords = registry.counter("redstats.notifier.records.corrupt");
  }

  /** Starts replaying {@code [from, until)} in the background; outcomes go to the listener. */
  public void replay(ResumeToken from, ResumeToken until, ReplayListener listener) {
    executor.execute(() -> run(from, until, listener));
  }

  private void run(ResumeToken from, ResumeToken until, ReplayListener listener) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaConsumers.create(properties.bootstrapServers(), "replay")) {
      replayWith(consumer, from, until, listener);
    } catch (RuntimeException e) {
      log.warn("replay failed: {}", e.toString());
      listener.onReplayFailed(e);
    }
  }

  private void replayWith(
      KafkaConsumer<byte[], byte[]> consumer,
      ResumeToken from,
      ResumeToken until,
      ReplayListener listener) {
    List<TopicPartition> partitions =
        until.positions().keySet().stream()
            .map(p -> new TopicPartition(Topics.CANONICAL.name(), p))
            .toList();
    Map<TopicPartition, Long> logStart = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
    Map<TopicPartition, Long> logEnd = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    Map<TopicPartition, Long> remaining = new HashMap<>();
    for (TopicPartition tp : partitions) {
      long start = from.positionOf(tp.partition());
      long end = until.positionOf(tp.partition());
      if (start > logEnd.get(tp)) {
        listener.onTokenInvalid();
        return;
      }
      if (start >= end) {
        continue;
      }
      if (start < logStart.get(tp)) {
        listener.onTokenTooOld();
        return;
      }
      remaining.put(tp, end);
    }
    if (!remaining.isEmpty()) {
      read(consumer, from, remaining, listener);
    }
    if (!listener.cancelled()) {
      listener.onReplayDone();
    }
  }

  private void read(
      KafkaConsumer<byte[], byte[]> consumer,
      ResumeToken from,
      Map<TopicPartition, Long> remaining,
      ReplayListener listener) {
    consumer.assign(remaining.keySet());
    remaining.keySet().forEach(tp -> consumer.seek(tp, from.positionOf(tp.partition())));
    Map<Integer, Long> covered = new TreeMap<>(from.positions());
    remaining.forEach((tp, end) -> covered.putIfAbsent(tp.partition(), 0L));
    long lastProgress = System.nanoTime();
    while (!remaining.isEmpty() && !listener.cancelled()) {
      boolean progressed = false;
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(properties.pollTimeout())) {
        Long end = remaining.get(new TopicPartition(record.topic(), record.partition()));
        if (end == null || record.offset() >= end) {
          continue;
        }
        progressed = true;
        covered.put(record.partition(), record.offset() + 1);
        hand(record, covered, listener);
      }
      progressed |= dropFinished(consumer, remaining);
      if (progressed) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > properties.replayStallTimeout().toNanos()) {
        throw new IllegalStateException(
            "replay made no progress for " + properties.replayStallTimeout());
      }
    }
  }

  private void hand(
      ConsumerRecord<byte[], byte[]> record, Map<Integer, Long> covered, ReplayListener listener) {
    StatEvent event;
    try {
      event = EventJson.fromBytes(record.value());
    } catch (RuntimeException e) {
      corruptRecords.increment();
      log.error("replay skips record {}-{}: {}", record.partition(), record.offset(), e.toString());
      return;
    }
    replayed.increment();
    listener.onReplayed(
        new FeedRecord(
            -1,
            record.partition(),
            record.offset(),
            record.timestamp(),
            event,
            new Memo<>(() -> ResumeToken.of(covered))));
  }

  /** Partitions whose position reached the join position are done (past commit markers too). */
  private static boolean dropFinished(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> remaining) {
    Set<TopicPartition> done = new HashSet<>();
    remaining.forEach(
        (tp, end) -> {
          if (consumer.position(tp, METADATA_TIMEOUT) >= end) {
            done.add(tp);
          }
        });
    if (done.isEmpty()) {
      return false;
    }
    done.forEach(remaining::remove);
    consumer.pause(done);
    return true;
  }

  @Override
  public void destroy() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
