package io.redstats.ingest.dedup;

import io.micrometer.core.instrument.MeterRegistry;
import io.redstats.contract.event.Topics;
import io.redstats.ingest.config.KafkaProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * Runs {@link DedupTopology} with exactly-once processing and reports its state as health.
 *
 * <p>Error policy: a raw record that cannot be deserialized is sent to {@link Topics#DLQ} and
 * skipped (logged by Kafka Streams with its partition and offset); any other exception replaces the
 * stream thread, which resumes from the last committed transaction, so nothing is skipped.
 */
@Component("dedup")
// The topics must exist first: Kafka Streams refuses a missing source topic, and an auto-created
// topic would get the broker's default partition count.
@DependsOn("kafkaTopics")
public class DedupStreams implements SmartLifecycle, HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(DedupStreams.class);

  /** On shutdown, let the thread finish and commit its transaction, but do not hang the JVM. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProperties kafka;
  private final DedupProperties properties;
  private final MeterRegistry registry;
  private final String stateDir;
  private final HostInfo self;
  private volatile KafkaStreams streams;

  public DedupStreams(
      KafkaProperties kafka,
      DedupProperties properties,
      MeterRegistry registry,
      @Value("${server.port:8081}") int port) {
    this.kafka = kafka;
    this.properties = properties;
    this.registry = registry;
    this.stateDir =
        properties.stateDir() != null && !properties.stateDir().isBlank()
            ? properties.stateDir()
            : Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "redstats-" + properties.applicationId() + "-" + port)
                .toString();
    // A random port (0, some tests) cannot be advertised; such a node answers from its own store.
    this.self =
        port > 0 && !properties.advertisedHost().isBlank()
            ? new HostInfo(properties.advertisedHost(), port)
            : null;
  }

  /** Where this node listens for its peers, or null when it does not take their questions. */
  HostInfo self() {
    return self;
  }

  /** The running streams, or null before start and after stop. */
  KafkaStreams running() {
    return streams;
  }

  Properties config() {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.threads());
    config.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        (int) properties.sessionTimeout().toMillis());
    config.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class);
    config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ.name());
    if (self != null) {
      config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    }
    return config;
  }

  @Override
  public void start() {
    if (!properties.enabled()) {
      return;
    }
    StreamsBuilder builder = new StreamsBuilder();
    DedupTopology.build(builder, properties.retention(), new DedupMetrics(registry));
    KafkaStreams started = new KafkaStreams(builder.build(), config());
    started.setUncaughtExceptionHandler(
        e -> {
          log.error("dedup stream thread failed; replacing it", e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    started.start();
    streams = started;
    log.info("dedup topology started, state in {}", stateDir);
  }

  @Override
  public void stop() {
    KafkaStreams running = streams;
    if (running != null) {
      // Leave the group on a clean stop so the other nodes take the partitions at once instead of
      // after the session timeout.
      running.close(
          CloseOptions.timeout(CLOSE_TIMEOUT)
              .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      streams = null;
    }
  }

  @Override
  public boolean isRunning() {
    return streams != null;
  }

  @Override
  public Health health() {
    if (!properties.enabled()) {
      return Health.up().withDetail("enabled", false).build();
    }
    KafkaStreams running = streams;
    if (running == null) {
      return Health.down().withDetail("state", "NOT_STARTED").build();
    }
    KafkaStreams.State state = running.state();
    Health.Builder health =
        state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED
            ? Health.up()
            : Health.down();
    return health.withDetail("state", state.name()).build();
  }
}
