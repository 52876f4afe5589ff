package io.redstats.e2e;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.Nginx;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system for the end-to-end tests, started once per test JVM: every service from its own
 * jar in its own process, on the real servers of {@link RealServers}, two notifier nodes behind a
 * real nginx. Stopped when the JVM exits.
 */
final class Stack {

  static final String SECRET = "e2e-secret-of-at-least-thirty-two-bytes!!";
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(180);
  private static final TokenMinter MINTER = new TokenMinter(SECRET);
  private static Stack instance;

  final RealServers servers;
  final String clickhouseUrl;
  final String ingestUrl;
  final String apiUrl;
  final String redUrl;
  final Nginx nginx;
  private final List<AutoCloseable> started = new ArrayList<>();
  private ServiceProcess ingest;

  static synchronized Stack get() throws Exception {
    if (instance == null) {
      instance = new Stack();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "e2e-stack-stop"));
    }
    return instance;
  }

  private Stack() throws Exception {
    servers = RealServers.shared();
    // A database that does not exist yet, as on a fresh server: ingest must create it.
    clickhouseUrl =
        servers
            .clickhouseJdbcUrl("default")
            .replace("/default?", "/e2e_" + Long.toUnsignedString(System.nanoTime(), 36) + "?");
    Map<String, String> common = new HashMap<>();
    common.put("redstats.security.jwt-secret", SECRET);
    common.put("redstats.kafka.bootstrap-servers", servers.kafkaBootstrap());

    Map<String, String> ingestProps = withPort(common);
    ingestUrl = url(ingestProps);
    ingestProps.put("redstats.clickhouse.url", clickhouseUrl);
    ingestProps.put(
        "redstats.dedup.state-dir", Files.createTempDirectory("e2e-streams").toString());
    ingest =
        ServiceProcess.start(
            "ingest", ServiceProcess.packagedJar("red-stats-ingest"), ingestProps, HEALTH_TIMEOUT);

    String notifierDb = servers.postgresJdbcUrl("e2e_notifier");
    List<Integer> notifierPorts = new ArrayList<>();
    for (int node = 1; node <= 2; node++) {
      Map<String, String> props = withPort(common);
      notifierPorts.add(Integer.parseInt(props.get("server.port")));
      props.putAll(postgres(notifierDb));
      props.put("redstats.notifier.node-id", "e2e-node-" + node);
      started(
          ServiceProcess.start(
              "notifier-" + node,
              ServiceProcess.packagedJar("red-stats-notifier"),
              props,
              HEALTH_TIMEOUT));
    }
    nginx = started(servers.nginx(notifierPorts));

    Map<String, String> apiProps = withPort(common);
    apiUrl = url(apiProps);
    apiProps.put("redstats.clickhouse.url", clickhouseUrl);
    started(
        ServiceProcess.start(
            "api", ServiceProcess.packagedJar("red-stats-api"), apiProps, HEALTH_TIMEOUT));

    Map<String, String> redProps = withPort(common);
    redUrl = url(redProps);
    redProps.putAll(postgres(servers.postgresJdbcUrl("e2e_red")));
    redProps.put("redstats.red.ingest-urls", ingestUrl);
    redProps.put("redstats.red.producer-token", token(null, Scopes.INGEST));
    started(
        ServiceProcess.start(
            "red", ServiceProcess.packagedJar("red-service"), redProps, HEALTH_TIMEOUT));
  }

  ServiceProcess ingest() {
    return ingest;
  }

  /** Restarts ingest on the same port, data and configuration (after a stop or kill -9). */
  void restartIngest() {
    ingest = ingest.restart();
  }

  String token(Long clientId, String... scopes) {
    return MINTER.mint("e2e", clientId, Arrays.asList(scopes), Duration.ofHours(2));
  }

  /** A count straight from ClickHouse's raw table: what a full SQL scan says. */
  long countInClickHouse(String where) throws Exception {
    try (Connection c = DriverManager.getConnection(clickhouseUrl, "default", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count() FROM events WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** When ingest accepted each of a client's images in an id range (Kafka record time), by id. */
  List<Long> ingestTimesByImageId(long clientId, long fromId, long toId) throws Exception {
    List<Long> times = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(clickhouseUrl, "default", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT ingested_ms FROM events WHERE client_id = "
                    + clientId
                    + " AND image_id BETWEEN "
                    + fromId
                    + " AND "
                    + toId
                    + " ORDER BY image_id")) {
      while (rs.next()) {
        times.add(rs.getLong(1));
      }
    }
    return times;
  }

  private void close() {
    if (ingest != null) {
      ingest.close();
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println("e2e: could not stop " + started.get(i) + ": " + e);
      }
    }
  }

  private <T extends AutoCloseable> T started(T process) {
    started.add(process);
    return process;
  }

  private Map<String, String> postgres(String jdbcUrl) {
    return Map.of(
        "spring.datasource.url", jdbcUrl,
        "spring.datasource.username", servers.postgresUser(),
        "spring.datasource.password", servers.postgresPassword());
  }

  private static Map<String, String> withPort(Map<String, String> common) {
    Map<String, String> props = new HashMap<>(common);
    props.put("server.port", String.valueOf(FreePorts.next()));
    return props;
  }

  private static String url(Map<String, String> props) {
    return "http://127.0.0.1:" + props.get("server.port");
  }
}
