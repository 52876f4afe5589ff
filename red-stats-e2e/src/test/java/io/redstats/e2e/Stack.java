package io.redstats.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.redstats.contract.auth.TokenMinter;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.Nginx;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The whole system for the end-to-end tests, started once per test JVM: every service from its own
 * jar in its own process, on the real servers of {@link RealServers}, two notifier nodes behind a
 * real nginx. Stopped when the JVM exits.
 */
final class Stack {

  static final Path ROOT = Path.of(System.getProperty("redstats.root", ".."));
  static final String JARS_PROPERTY = "redstats.e2e.jars";
  static final String SECRET = "e2e-secret-of-at-least-thirty-two-bytes!!";

  /** A loaded two-core machine starts a Spring Boot service in one to three minutes. */
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(300);

  private static final TokenMinter MINTER = new TokenMinter(SECRET);
  private static Stack instance;

  final RealServers servers;
  final String clickhouseUrl;
  final String ingestUrl;
  final String apiUrl;
  final String redUrl;
  final Nginx nginx;
  private final List<AutoCloseable> started = new ArrayList<>();

  /** The services by name (ingest, notifier-1, notifier-2, api, red); replaced on restart. */
  private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

  static synchronized Stack get() throws Exception {
    if (instance == null) {
      instance = new Stack();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "e2e-stack-stop"));
    }
    return instance;
  }

  /**
   * Launches the five services at once, then waits until all of them are healthy (one after the
   * other, each start-up left most of two cores idle). None needs another to be up: ingest creates
   * the ClickHouse database and the topics, and meanwhile the api answers 503, the notifiers' feed
   * waits for its topic and RED retries its deliveries, as when {@code ./redstats up} starts them.
   */
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
    String notifierDb = servers.postgresJdbcUrl("e2e_notifier");
    String redDb = servers.postgresJdbcUrl("e2e_red");

    Map<String, String> ingestProps = withPort(common);
    ingestUrl = url(ingestProps);
    ingestProps.put("redstats.clickhouse.url", clickhouseUrl);
    ingestProps.put(
        "redstats.dedup.state-dir", Files.createTempDirectory("e2e-streams").toString());

    List<Integer> notifierPorts = new ArrayList<>();
    Map<String, Map<String, String>> notifierProps = new LinkedHashMap<>();
    for (int node = 1; node <= 2; node++) {
      Map<String, String> props = withPort(common);
      notifierPorts.add(Integer.parseInt(props.get("server.port")));
      props.putAll(postgres(notifierDb));
      props.put("redstats.notifier.node-id", "e2e-node-" + node);
      notifierProps.put("notifier-" + node, props);
    }

    Map<String, String> apiProps = withPort(common);
    apiUrl = url(apiProps);
    apiProps.put("redstats.clickhouse.url", clickhouseUrl);

    Map<String, String> redProps = withPort(common);
    redUrl = url(redProps);
    redProps.putAll(postgres(redDb));
    redProps.put("redstats.red.ingest-urls", ingestUrl);

    try {
      launch("ingest", "red-stats-ingest", ingestProps);
      notifierProps.forEach((name, props) -> launch(name, "red-stats-notifier", props));
      launch("api", "red-stats-api", apiProps);
      launch("red", "red-service", redProps);
      nginx = started(servers.nginx(notifierPorts));
      List<ServiceProcess> launched;
      synchronized (this) {
        launched = new ArrayList<>(services.values());
      }
      ServiceProcess.awaitHealthy(launched);
    } catch (RuntimeException | Error e) {
      close(); // the services that did start, and nginx: a failed stack leaves nothing behind
      throw e;
    }
  }

  ServiceProcess ingest() {
    return service("ingest");
  }

  /** Restarts ingest on the same port, data and configuration (after a stop or kill -9). */
  void restartIngest() {
    restart("ingest");
  }

  /** A service by name: ingest, notifier-1, notifier-2, api, red. */
  synchronized ServiceProcess service(String name) {
    ServiceProcess process = services.get(name);
    if (process == null) {
      throw new IllegalArgumentException(
          "no service " + name + " (have " + services.keySet() + ")");
    }
    return process;
  }

  /** Restarts a service on the same port and configuration (after a stop or kill -9). */
  void restart(String name) {
    ServiceProcess restarted = service(name).restart();
    synchronized (this) {
      services.put(name, restarted);
    }
  }

  /**
   * SIGKILL of nginx's master and workers (killing the master alone leaves the workers serving).
   * The master is frozen first: killed after its workers, it would have started new ones.
   */
  void killNginx() throws Exception {
    long master = nginxPid();
    Optional<ProcessHandle> handle = ProcessHandle.of(master).filter(ProcessHandle::isAlive);
    if (handle.isEmpty()) {
      throw new IllegalStateException("nginx: master pid " + master + " is not running");
    }
    signal(master, "STOP");
    List<ProcessHandle> family = new ArrayList<>(handle.get().descendants().toList());
    family.add(handle.get());
    family.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle member : family) {
      member.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  /** kill(1) with a signal name, for signals Java has no API for (STOP, CONT). */
  static void signal(long pid, String signal) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
    }
  }

  /** The pid of nginx's master, from its pid file. */
  long nginxPid() {
    return Long.parseLong(readPid(nginx.dir()));
  }

  /** Starts nginx again in its directory, on its port, in front of the same nodes. */
  void startNginx() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("deploy/local/nginx.sh").toString());
    command.addAll(List.of("start", nginx.dir().toString(), String.valueOf(nginx.port())));
    nginx.upstreamPorts().forEach(port -> command.add(String.valueOf(port)));
    Process start = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(start.getInputStream().readAllBytes(), UTF_8);
    if (!start.waitFor(60, TimeUnit.SECONDS) || start.exitValue() != 0) {
      start.destroyForcibly();
      throw new IllegalStateException("nginx did not start again: " + command + "\n" + output);
    }
  }

  private static String readPid(Path dir) {
    try {
      return Files.readString(dir.resolve("pid")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    List<ServiceProcess> running;
    synchronized (this) {
      running = new ArrayList<>(services.values());
    }
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println("e2e: could not stop " + started.get(i) + ": " + e);
      }
    }
  }

  /** Starts a service without waiting for it: the constructor waits for all of them at once. */
  private void launch(String name, String module, Map<String, String> props) {
    ServiceProcess process = ServiceProcess.launch(name, jar(module), props, HEALTH_TIMEOUT);
    synchronized (this) {
      services.put(name, process);
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

  /**
   * The module's packaged jar, or its copy in the directory named by {@value #JARS_PROPERTY}: the
   * bench scripts run from copies so that a rebuild in the working tree during a long run does not
   * replace a jar under a running (or restarting) service.
   */
  private static Path jar(String module) {
    String copies = System.getProperty(JARS_PROPERTY);
    return copies == null
        ? ServiceProcess.packagedJar(module)
        : Path.of(copies).resolve(module + ".jar");
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
