package io.redstats.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers mode, chosen only when a Docker engine answers. Containers are removed by
 * Testcontainers' reaper when the JVM exits.
 */
final class Containers {

  static final String KAFKA_IMAGE = "apache/kafka:4.0.0";

  /** The ClickHouse our machines run (see ENVIRONMENT.md), so both modes test the same SQL. */
  static final String CLICKHOUSE_IMAGE = "yandex/clickhouse-server:18.16.1";

  static final String POSTGRES_IMAGE = "postgres:15-alpine";
  static final String POSTGRES_USER = "redstats";
  static final String POSTGRES_PASSWORD = "redstats";
  private static final int CLICKHOUSE_HTTP_PORT = 8123;
  private static final int POSTGRES_PORT = 5432;

  private Containers() {}

  static boolean dockerAvailable() {
    if (!dockerConfigured()) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Cheap pre-check: without any of these, Testcontainers' own probe can only fail, and it logs an
   * ERROR and takes a while doing so.
   */
  private static boolean dockerConfigured() {
    String home = System.getProperty("user.home");
    String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
    return System.getenv("DOCKER_HOST") != null
        || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(home, ".testcontainers.properties"))
        || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
        || Files.exists(Path.of(home, ".colima"))
        || (runtimeDir != null && Files.exists(Path.of(runtimeDir, "docker.sock")));
  }

  @SuppressWarnings("resource") // lives for the JVM; the Testcontainers reaper removes it
  static String kafkaBootstrap() {
    KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
    kafka.start();
    return kafka.getBootstrapServers();
  }

  @SuppressWarnings("resource")
  static String clickhouseHttpUrl() {
    ClickHouseContainer clickhouse =
        new ClickHouseContainer(
            DockerImageName.parse(CLICKHOUSE_IMAGE)
                .asCompatibleSubstituteFor("clickhouse/clickhouse-server"));
    clickhouse.start();
    return "http://" + clickhouse.getHost() + ":" + clickhouse.getMappedPort(CLICKHOUSE_HTTP_PORT);
  }

  /** {@code jdbc:postgresql://host:port} — without a database. */
  @SuppressWarnings("resource")
  static String postgresUrl() {
    PostgreSQLContainer postgres =
        new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
            .withUsername(POSTGRES_USER)
            .withPassword(POSTGRES_PASSWORD)
            .withDatabaseName("redstats");
    postgres.start();
    return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(POSTGRES_PORT);
  }
}
