package io.redstats.ingest.config;

import io.redstats.contract.event.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates the topics this service writes and reads, before anything produces or consumes: the dedup
 * topology refuses to start on a missing source topic, and an auto-created topic would get the
 * broker's default partition count instead of ours.
 */
@Component
public final class KafkaTopics {

  private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);

  /** A broker that does not answer within this long at start is a deployment error: fail fast. */
  static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  /** The topics this service creates. */
  static List<String> topicNames() {
    return List.of(
        Topics.RAW.name(), Topics.CANONICAL.name(), Topics.CONFLICTS.name(), Topics.DLQ.name());
  }

  /**
   * Creates the missing topics; beans that produce or consume take this one in their constructor so
   * they are built after it.
   */
  public KafkaTopics(KafkaProperties kafka) {
    createMissing(kafka);
  }

  private static void createMissing(KafkaProperties kafka) {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) ADMIN_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(config)) {
      Set<String> existing =
          admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing =
          topicNames().stream()
              .filter(name -> !existing.contains(name))
              .map(name -> new NewTopic(name, kafka.partitions(), kafka.replicationFactor()))
              .collect(Collectors.toList());
      if (missing.isEmpty()) {
        return;
      }
      for (NewTopic topic : missing) {
        create(admin, topic);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot reach Kafka at " + kafka.bootstrapServers() + " to create topics", e);
    }
  }

  private static void create(Admin admin, NewTopic topic)
      throws InterruptedException, TimeoutException, ExecutionException {
    try {
      admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      log.info(
          "created topic {} with {} partitions, replication factor {}",
          topic.name(),
          topic.numPartitions(),
          topic.replicationFactor());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
      // another node created it between our list and our create: fine
    }
  }
}
