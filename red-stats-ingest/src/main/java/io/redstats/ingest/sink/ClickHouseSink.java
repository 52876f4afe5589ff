package io.redstats.ingest.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.redstats.contract.event.EventJson;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import io.redstats.ingest.config.ClickHouseProperties;
import io.redstats.ingest.config.KafkaProperties;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * Copies {@link Topics#CANONICAL} into ClickHouse's {@code events} table, exactly once.
 *
 * <p><b>Positions live in ClickHouse, not in Kafka.</b> Each row stores its Kafka partition and
 * offset. On start, and after every failure, the sink reads {@code max(kafka_offset)} per partition
 * from ClickHouse and resumes after it; consumer offsets are never committed. It assigns itself the
 * partitions (no consumer group): a group rebalance could hand a partition to another node while
 * this one still has an insert in flight, and ClickHouse cannot fence that insert, so the second
 * node would write the same rows again. One writer per partition is configured instead ({@link
 * SinkProperties#enabled()} / {@link SinkProperties#partitions()}).
 *
 * <p><b>A partially applied insert.</b> ClickHouse writes an insert as one part per month partition
 * of the table, and a failure between parts leaves some written. So a batch never spans more than
 * {@code maxOffsetSpan} offsets of one Kafka partition, and on resume the sink re-reads that many
 * offsets before the maximum and skips those ClickHouse already holds.
 *
 * <p><b>Error policy.</b> ClickHouse or Kafka failing: log, count, back off exponentially (up to
 * {@code retryMax}) and resume from ClickHouse — forever; nothing is ever skipped. A record that
 * cannot be deserialized: sent as it was to {@link Topics#DLQ} (acknowledged before the sink moves
 * on), counted and logged with its key, partition and offset.
 */
@Component("clickHouseSink")
// The topics must exist first: Kafka Streams refuses a missing source topic, and an auto-created
// topic would get the broker's default partition count.
@DependsOn("kafkaTopics")
public class ClickHouseSink implements SmartLifecycle, HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(ClickHouseSink.class);

  /** Upper bound of one poll, so the batch time and a stop request are noticed promptly. */
  private static final Duration MAX_POLL_WAIT = Duration.ofMillis(100);

  /** Records per poll: large enough to fill a 50 000-row batch in a few polls. */
  private static final int MAX_POLL_RECORDS = 10_000;

  /** A dead letter must be stored before the sink moves past it; Kafka down longer is a failure. */
  private static final Duration DLQ_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProperties kafka;
  private final SinkProperties properties;
  private final EventsTable table;
  private final SinkMetrics metrics;
  private volatile boolean running;
  private volatile Thread thread;
  private volatile Consumer<Long, byte[]> consumer;
  private volatile Health health = Health.unknown().withDetail("state", "starting").build();

  public ClickHouseSink(
      KafkaProperties kafka,
      ClickHouseProperties clickHouse,
      SinkProperties properties,
      MeterRegistry registry) {
    this.kafka = kafka;
    this.properties = properties;
    this.table = new EventsTable(clickHouse);
    this.metrics = new SinkMetrics(registry);
  }

  @Override
  public void start() {
    if (!properties.enabled()) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "clickhouse-sink");
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    Consumer<Long, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Thread t = thread;
    if (t != null) {
      try {
        t.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public Health health() {
    return properties.enabled() ? health : Health.up().withDetail("enabled", false).build();
  }

  private void run() {
    Duration backoff = properties.retryInitial();
    boolean migrated = false;
    try (Consumer<Long, byte[]> c = newConsumer();
        Producer<byte[], byte[]> dlq = newDeadLetterProducer()) {
      consumer = c;
      while (running) {
        try {
          // Migrate before connecting: the driver's connection itself fails while the database
          // named in the URL does not exist yet (a fresh ClickHouse).
          if (!migrated) {
            table.migrate();
            migrated = true;
          }
          try (Connection connection = table.connect()) {
            ResumePoint resume = resume(c, connection);
            backoff = properties.retryInitial();
            copy(c, connection, resume, dlq);
          }
        } catch (WakeupException e) {
          return;
        } catch (SQLException | RuntimeException e) {
          metrics.failure();
          health = Health.down().withDetail("error", String.valueOf(e.getMessage())).build();
          log.warn("sink failed, resuming from ClickHouse in {}: {}", backoff, e.toString());
          sleep(backoff);
          backoff = min(backoff.multipliedBy(2), properties.retryMax());
        }
      }
    } finally {
      consumer = null;
    }
  }

  /** Assigns the partitions and seeks each to where ClickHouse says it is. */
  private ResumePoint resume(Consumer<Long, byte[]> c, Connection connection) throws SQLException {
    List<TopicPartition> partitions = partitions(c);
    c.assign(partitions);
    Map<Integer, Long> max = table.maxOffsets(connection);
    Map<Integer, Long> seekTo = new HashMap<>();
    Map<Integer, Set<Long>> stored = new HashMap<>();
    for (TopicPartition tp : partitions) {
      Long maxStored = max.get(tp.partition());
      if (maxStored == null) {
        c.seekToBeginning(List.of(tp));
        continue;
      }
      long from = Math.max(0, maxStored - properties.maxOffsetSpan() + 1);
      stored.put(tp.partition(), table.offsetsAbove(connection, tp.partition(), from - 1));
      seekTo.put(tp.partition(), from);
      c.seek(tp, from);
    }
    log.info("sink resumes from ClickHouse: highest stored offsets {}", max);
    health = Health.up().withDetail("resumedFrom", max).build();
    return new ResumePoint(seekTo, max, stored);
  }

  private List<TopicPartition> partitions(Consumer<Long, byte[]> c) {
    List<PartitionInfo> infos = c.partitionsFor(Topics.CANONICAL.name());
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + Topics.CANONICAL.name() + " has no partitions");
    }
    List<Integer> wanted = properties.partitions();
    return infos.stream()
        .map(PartitionInfo::partition)
        .filter(p -> wanted.isEmpty() || wanted.contains(p))
        .sorted()
        .map(p -> new TopicPartition(Topics.CANONICAL.name(), p))
        .collect(Collectors.toList());
  }

  /** Polls and inserts batches until stopped or until something fails (then throws). */
  private void copy(
      Consumer<Long, byte[]> c,
      Connection connection,
      ResumePoint resume,
      Producer<byte[], byte[]> dlq)
      throws SQLException {
    Batch batch = new Batch(properties);
    while (running) {
      ConsumerRecords<Long, byte[]> records = c.poll(min(batch.timeLeft(), MAX_POLL_WAIT));
      for (ConsumerRecord<Long, byte[]> record : records) {
        if (resume.alreadyStored(record.partition(), record.offset())) {
          metrics.alreadyStored();
          continue;
        }
        StatEvent event = read(record, dlq);
        if (event == null) {
          continue;
        }
        if (batch.wouldOverflow(record.partition(), record.offset())) {
          flush(connection, batch);
        }
        batch.add(new SinkRow(event, record.partition(), record.offset(), record.timestamp()));
      }
      if (batch.isDue()) {
        flush(connection, batch);
      }
      metrics.lag(lag(c));
    }
  }

  private void flush(Connection connection, Batch batch) throws SQLException {
    if (batch.isEmpty()) {
      batch.clear();
      return;
    }
    long start = System.nanoTime();
    table.insert(connection, batch.rows());
    long now = System.currentTimeMillis();
    metrics.batch(batch.size(), System.nanoTime() - start);
    for (SinkRow row : batch.rows()) {
      metrics.fresh(row.ingestedMs(), now);
    }
    health =
        Health.up()
            .withDetail("lastInsert", Instant.ofEpochMilli(now).toString())
            .withDetail("lastBatchRows", batch.size())
            .build();
    batch.clear();
  }

  private StatEvent read(ConsumerRecord<Long, byte[]> record, Producer<byte[], byte[]> dlq) {
    try {
      return EventJson.fromBytes(record.value());
    } catch (RuntimeException e) {
      deadLetter(record, dlq, e);
      return null;
    }
  }

  private void deadLetter(
      ConsumerRecord<Long, byte[]> record, Producer<byte[], byte[]> dlq, RuntimeException cause) {
    log.error(
        "unreadable canonical record key={} partition={} offset={}, sent to {}: {}",
        record.key(),
        record.partition(),
        record.offset(),
        Topics.DLQ.name(),
        cause.toString());
    byte[] key =
        record.key() == null
            ? null
            : Topics.CANONICAL.keySerde().serializer().serialize(null, record.key());
    try {
      dlq.send(new ProducerRecord<>(Topics.DLQ.name(), key, record.value()))
          .get(DLQ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing a dead letter", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write a dead letter", e);
    }
    metrics.deadLetter();
  }

  private static long lag(Consumer<Long, byte[]> c) {
    long total = 0;
    for (TopicPartition tp : c.assignment()) {
      total += c.currentLag(tp).orElse(0);
    }
    return total;
  }

  private Consumer<Long, byte[]> newConsumer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.groupId());
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Keys are read as Long (they are image ids); values as bytes so a corrupt one can be kept.
    return new KafkaConsumer<>(config, new LongDeserializer(), new ByteArrayDeserializer());
  }

  private Producer<byte[], byte[]> newDeadLetterProducer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
