package io.redstats.notifier.it;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What the notifier ITs run against: real Kafka and PostgreSQL from {@link RealServers}, notifier
 * nodes as separate JVMs from the packaged jar, and a producer writing canonical events directly
 * (the dedup topology belongs to ingest).
 */
final class Stack {

  static final String SECRET = "notifier-integration-tests-secret-0123456789";

  /** Partitions of the canonical topic in these tests: several, so tokens name more than one. */
  static final int PARTITIONS = 3;

  private static final String DATABASE = "notifier_it";
  // Generous: on a loaded two-core machine a node has been seen to take 70 s to start.
  private static final Duration NODE_START = Duration.ofMinutes(3);

  /** Image ids unique across the run, so tests never see each other's events. */
  private static final AtomicLong IMAGE_IDS = new AtomicLong(System.currentTimeMillis() * 10);

  private static final TokenMinter MINTER = new TokenMinter(SECRET);

  private static Stack instance;

  final RealServers servers;
  private final KafkaProducer<Long, StatEvent> producer;

  private Stack(RealServers servers) {
    this.servers = servers;
    createCanonicalTopic(servers.kafkaBootstrap());
    this.producer = producer(servers.kafkaBootstrap());
  }

  static synchronized Stack shared() {
    if (instance == null) {
      instance = new Stack(RealServers.shared());
    }
    return instance;
  }

  static String clientToken(long clientId) {
    return MINTER.mint(
        "client-" + clientId, clientId, List.of(Scopes.SUBSCRIBE), Duration.ofHours(1));
  }

  /** A client token that expires after {@code validFor} (JWT {@code exp} has whole seconds). */
  static String clientToken(long clientId, Duration validFor) {
    return MINTER.mint("client-" + clientId, clientId, List.of(Scopes.SUBSCRIBE), validFor);
  }

  static String adminToken() {
    return MINTER.mint("admin", null, List.of(Scopes.ADMIN), Duration.ofHours(1));
  }

  static String queryOnlyToken(long clientId) {
    return MINTER.mint("query-" + clientId, clientId, List.of(Scopes.QUERY), Duration.ofHours(1));
  }

  static long nextImageId() {
    return IMAGE_IDS.incrementAndGet();
  }

  /** A running notifier node. */
  record Node(String id, int port, ServiceProcess process) implements AutoCloseable {
    String wsUrl() {
      return "ws://127.0.0.1:" + port + "/alerts";
    }

    String httpUrl() {
      return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
      process.close();
    }
  }

  /** A notifier node on a free port; extra properties override the defaults. */
  Node startNode(String nodeId, Map<String, String> extra) {
    int port = FreePorts.next();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", Integer.toString(port));
    properties.put("spring.datasource.url", servers.postgresJdbcUrl(DATABASE));
    properties.put("spring.datasource.username", servers.postgresUser());
    properties.put("spring.datasource.password", servers.postgresPassword());
    properties.put("redstats.kafka.bootstrap-servers", servers.kafkaBootstrap());
    properties.put("redstats.security.jwt-secret", SECRET);
    properties.put("redstats.notifier.node-id", nodeId);
    properties.putAll(extra);
    return new Node(nodeId, port, ServiceProcess.start(nodeId, jar(), properties, NODE_START));
  }

  /** Publishes events to the canonical topic and waits until Kafka has them. */
  void publish(List<StatEvent> events) {
    try {
      for (StatEvent event : events) {
        producer.send(new ProducerRecord<>(Topics.CANONICAL.name(), event.imageId(), event)).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka refused an event", e.getCause());
    }
  }

  /** Publishes many events in one go (batched), then waits for them all. */
  void publishBatch(List<StatEvent> events) {
    for (StatEvent event : events) {
      producer.send(new ProducerRecord<>(Topics.CANONICAL.name(), event.imageId(), event));
    }
    producer.flush();
  }

  /** Retention in fast forward: every record written so far is deleted (log start = end). */
  void deleteAllRecords() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap());
    try (Admin admin = Admin.create(props)) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(new TopicPartition(Topics.CANONICAL.name(), p), OffsetSpec.latest());
      }
      Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
      admin.deleteRecords(delete).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot delete records", e.getCause());
    }
  }

  Connection postgres() throws SQLException {
    return DriverManager.getConnection(
        servers.postgresJdbcUrl(DATABASE), servers.postgresUser(), servers.postgresPassword());
  }

  static StatEvent event(long clientId, double red) {
    return new StatEvent(
        nextImageId(),
        clientId,
        System.currentTimeMillis(),
        io.redstats.contract.event.Red.toUnits(red));
  }

  private static Path jar() {
    String jar = System.getProperty("notifier.jar");
    if (jar == null) {
      throw new IllegalStateException(
          "system property notifier.jar is not set (run with failsafe)");
    }
    return Path.of(jar);
  }

  private static void createCanonicalTopic(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      admin
          .createTopics(List.of(new NewTopic(Topics.CANONICAL.name(), PARTITIONS, (short) 1)))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create the canonical topic", e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static KafkaProducer<Long, StatEvent> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(
        props,
        Topics.CANONICAL.keySerde().serializer(),
        Topics.CANONICAL.valueSerde().serializer());
  }
}
