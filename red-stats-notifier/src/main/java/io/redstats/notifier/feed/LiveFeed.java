package io.redstats.notifier.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redstats.contract.event.EventJson;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The node's one reader of the canonical topic. It reads every partition from where the topic ended
 * when the node started, and hands each record to the {@link FeedListener} on its own thread.
 *
 * <p>A subscriber joins "at the current position" under the same lock the feed holds while it
 * dispatches a record, so each record is dispatched either before a subscriber joined (and lies
 * behind its join token) or after (and reaches it): nothing falls between.
 *
 * <p>Error policy: a record whose value is not a canonical event is logged with its partition and
 * offset, counted ({@code redstats.notifier.records.corrupt}) and skipped — it can never become
 * valid, and stopping would stop every client. A Kafka error is logged and the poll retried after
 * {@link #RETRY_PAUSE}: the consumer keeps its positions, so nothing is skipped. A listener that
 * throws is logged and the feed goes on with the next record.
 */
public final class LiveFeed implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

  /** Long enough not to spin on a broker that is down, short enough to notice it is back. */
  static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private final FeedProperties properties;
  private final FeedListener listener;
  private final Counter corruptRecords;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Integer, Long> positions = new HashMap<>();
  private volatile boolean ready;
  private volatile boolean running;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;
  private long sequence;

  public LiveFeed(FeedProperties properties, FeedListener listener, MeterRegistry registry) {
    this.properties = properties;
    this.listener = listener;
    this.corruptRecords = registry.counter("redstats.notifier.records.corrupt");
  }

  /** Thrown to a joining subscriber while the feed has not found the topic yet. */
  public static final class NotReadyException extends RuntimeException {
    NotReadyException() {
      super("the alert feed is not reading the canonical topic yet");
    }
  }

  public boolean isReady() {
    return ready;
  }

  /**
   * Runs {@code join} with the current positions, while no record is being dispatched.
   *
   * @throws NotReadyException before the feed has positions
   */
  public <T> T joinAtCurrentPosition(Function<ResumeToken, T> join) {
    lock.lock();
    try {
      if (!ready) {
        throw new NotReadyException();
      }
      return join.apply(ResumeToken.of(positions));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::run, "canonical-feed");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    try {
      while (running) {
        runConsumer();
      }
    } finally {
      ready = false;
    }
  }

  /**
   * One consumer's life. An unexpected failure closes it and a new one continues from the same
   * positions, so sessions see neither a gap nor a repeat.
   */
  private void runConsumer() {
    try (KafkaConsumer<byte[], byte[]> c =
        KafkaConsumers.create(properties.bootstrapServers(), "live")) {
      consumer = c;
      if (!assign(c)) {
        return;
      }
      long nextRefresh = System.nanoTime() + properties.partitionRefresh().toNanos();
      while (running) {
        long pollStart = System.nanoTime();
        if (pollOnce(c) > 0) {
          waitForCompany(pollStart);
        }
        if (System.nanoTime() > nextRefresh) {
          addNewPartitions(c);
          nextRefresh = System.nanoTime() + properties.partitionRefresh().toNanos();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("the alert feed was woken up while running; restarting it", e);
      }
    } catch (RuntimeException e) {
      log.error("the alert feed failed; restarting it from its positions {}", positions, e);
      pause();
    }
  }

  /** From the end of every partition on first start; from the feed's own positions after that. */
  private boolean assign(KafkaConsumer<byte[], byte[]> c) {
    while (running) {
      List<TopicPartition> partitions = partitionsOf(c);
      if (!partitions.isEmpty()) {
        c.assign(partitions);
        lock.lock();
        try {
          seek(c, partitions);
          ready = true;
        } finally {
          lock.unlock();
        }
        log.info(
            "alert feed reads {} partitions of {} from {}",
            partitions.size(),
            Topics.CANONICAL.name(),
            positions);
        return true;
      }
      log.info("waiting for topic {} to exist", Topics.CANONICAL.name());
      pause();
    }
    return false;
  }

  private void seek(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
    boolean firstStart = !ready; // ready only after a whole first seek succeeded
    for (TopicPartition tp : partitions) {
      Long position = positions.get(tp.partition());
      if (position != null) {
        c.seek(tp, position);
      } else if (firstStart) {
        c.seekToEnd(List.of(tp));
        positions.put(tp.partition(), c.position(tp));
      } else {
        c.seekToBeginning(List.of(tp)); // created while the feed was down: nobody saw it yet
        positions.put(tp.partition(), c.position(tp));
      }
    }
  }

  private List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> c) {
    try {
      List<PartitionInfo> infos = c.partitionsFor(Topics.CANONICAL.name(), Duration.ofSeconds(5));
      if (infos == null) {
        return List.of();
      }
      return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    } catch (WakeupException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("cannot list partitions of {}: {}", Topics.CANONICAL.name(), e.toString());
      return List.of();
    }
  }

  /** Partitions created after start hold only records nobody has seen: read them from the start. */
  private void addNewPartitions(KafkaConsumer<byte[], byte[]> c) {
    List<TopicPartition> all = partitionsOf(c);
    Set<TopicPartition> assigned = c.assignment();
    List<TopicPartition> added = all.stream().filter(tp -> !assigned.contains(tp)).toList();
    if (added.isEmpty()) {
      return;
    }
    c.assign(all);
    c.seekToBeginning(added);
    lock.lock();
    try {
      for (TopicPartition tp : added) {
        positions.put(tp.partition(), c.position(tp));
      }
    } finally {
      lock.unlock();
    }
    log.info(
        "alert feed now also reads partitions {}",
        added.stream().map(TopicPartition::partition).collect(Collectors.toList()));
  }

  /** Polls once and dispatches what came; returns how many records came. */
  private int pollOnce(KafkaConsumer<byte[], byte[]> c) {
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = c.poll(properties.pollTimeout());
    } catch (WakeupException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("polling {} failed, retrying: {}", Topics.CANONICAL.name(), e.toString());
      pause();
      return 0;
    }
    for (ConsumerRecord<byte[], byte[]> record : records) {
      dispatch(record);
    }
    advancePastControlRecords(c);
    return records.count();
  }

  /** See {@link FeedProperties#liveBatchWait()}. */
  private void waitForCompany(long pollStart) {
    long left = pollStart + properties.liveBatchWait().toNanos() - System.nanoTime();
    if (left > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private void dispatch(ConsumerRecord<byte[], byte[]> record) {
    StatEvent event = decode(record);
    lock.lock();
    try {
      positions.put(record.partition(), record.offset() + 1);
      if (event == null) {
        return;
      }
      FeedRecord feedRecord =
          new FeedRecord(
              sequence++,
              record.partition(),
              record.offset(),
              record.timestamp(),
              event,
              // Listeners evaluate it inside onRecord, while the lock keeps the positions still.
              new Memo<>(() -> ResumeToken.of(positions)));
      listener.onRecord(feedRecord);
    } catch (RuntimeException e) {
      log.error(
          "dispatching record {}-{} failed; going on with the next",
          record.partition(),
          record.offset(),
          e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * After a transaction's records the position jumps over its commit marker; taking it into the
   * positions keeps join tokens from lagging behind what was already covered.
   */
  private void advancePastControlRecords(KafkaConsumer<byte[], byte[]> c) {
    lock.lock();
    try {
      for (TopicPartition tp : c.assignment()) {
        long position = c.position(tp, Duration.ZERO);
        positions.merge(tp.partition(), position, Math::max);
      }
    } catch (RuntimeException e) {
      // A position not known locally right now is learned on the next poll; nothing is lost.
      log.debug("position not known yet: {}", e.toString());
    } finally {
      lock.unlock();
    }
  }

  private StatEvent decode(ConsumerRecord<byte[], byte[]> record) {
    try {
      return record.value() == null ? null : EventJson.fromBytes(record.value());
    } catch (RuntimeException e) {
      corruptRecords.increment();
      log.error(
          "skipping record {}-{}: not a canonical event ({})",
          record.partition(),
          record.offset(),
          e.toString());
      return null;
    }
  }

  private void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
