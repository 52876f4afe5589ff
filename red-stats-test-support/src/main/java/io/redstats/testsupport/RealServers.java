package io.redstats.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Real servers for integration tests, from one place. Each server independently comes from:
 *
 * <ol>
 *   <li>an environment variable naming its endpoint ({@value #ENV_KAFKA}, {@value #ENV_CLICKHOUSE},
 *       {@value #ENV_POSTGRES} with {@value #ENV_POSTGRES_USER} and {@value
 *       #ENV_POSTGRES_PASSWORD});
 *   <li>else Testcontainers, when a Docker engine answers;
 *   <li>else a local server started by {@code deploy/local/*.sh} on free ports, with its data under
 *       {@code ${redstats.home}/test-runs/<run>/}, stopped and deleted when the JVM exits.
 * </ol>
 *
 * {@value #ENV_SERVERS}{@code =local} skips Testcontainers: local servers even where a Docker
 * engine answers. Tests do not know which one they got; only local servers offer a {@link
 * ServerControl}, and a test that kills a server asks for it with {@link #controlled(Server)},
 * which fails (never skips) when it cannot have one.
 */
public final class RealServers {

  public static final String ENV_KAFKA = "REDSTATS_TEST_KAFKA_BOOTSTRAP";
  public static final String ENV_CLICKHOUSE = "REDSTATS_TEST_CLICKHOUSE_HTTP_URL";
  public static final String ENV_POSTGRES = "REDSTATS_TEST_POSTGRES_URL";
  public static final String ENV_POSTGRES_USER = "REDSTATS_TEST_POSTGRES_USER";
  public static final String ENV_POSTGRES_PASSWORD = "REDSTATS_TEST_POSTGRES_PASSWORD";

  /**
   * Set to {@code local} for local servers even where a Docker engine answers: the kill tests need
   * servers this JVM started.
   */
  public static final String ENV_SERVERS = "REDSTATS_TEST_SERVERS";

  /** Set to {@code true} to keep the local servers' directories (data, logs) after the run. */
  public static final String ENV_KEEP_RUNS = "REDSTATS_TEST_KEEP_RUNS";

  /** The role deploy/local/postgres.sh creates (and the Testcontainers one uses). */
  private static final String LOCAL_POSTGRES_USER = "redstats";

  private static final String LOCAL_POSTGRES_PASSWORD = "redstats";

  /** Another JVM may take a port between FreePorts and the server's bind; then try new ones. */
  private static final int START_ATTEMPTS = 3;

  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

  private static RealServers shared;

  private final Map<Server, CompletableFuture<String>> endpoints;
  private final Map<Server, LocalServer> localServers;
  private final String postgresUser;
  private final String postgresPassword;
  private final LocalRun localRun;
  private final String mode;
  private final Set<String> createdDatabases = ConcurrentHashMap.newKeySet();

  private RealServers(
      Map<Server, CompletableFuture<String>> endpoints,
      Map<Server, LocalServer> localServers,
      String postgresUser,
      String postgresPassword,
      LocalRun localRun,
      String mode) {
    this.endpoints = endpoints;
    this.mode = mode;
    this.localServers = localServers;
    this.postgresUser = postgresUser;
    this.postgresPassword = postgresPassword;
    this.localRun = localRun;
  }

  /** The servers of this JVM, started (or found) on first use. */
  public static synchronized RealServers shared() {
    if (shared == null) {
      shared = boot();
    }
    return shared;
  }

  /** {@code host:port} of a Kafka broker. */
  public String kafkaBootstrap() {
    return endpoint(Server.KAFKA);
  }

  /**
   * {@code http://host:port} of ClickHouse's HTTP interface (user {@code default}, no password).
   */
  public String clickhouseHttpUrl() {
    return endpoint(Server.CLICKHOUSE);
  }

  /**
   * {@code jdbc:clickhouse://host:port/<database>?compress=0} for the legacy driver, after {@code
   * CREATE DATABASE IF NOT EXISTS}.
   */
  public String clickhouseJdbcUrl(String database) {
    requireDatabaseName(database);
    URI http = URI.create(clickhouseHttpUrl());
    if (createdDatabases.add("clickhouse:" + database)) {
      clickhouseQuery("CREATE DATABASE IF NOT EXISTS " + database);
    }
    return "jdbc:clickhouse://"
        + http.getHost()
        + ":"
        + http.getPort()
        + "/"
        + database
        + "?compress=0";
  }

  /** {@code jdbc:postgresql://host:port/<database>}, the database created if missing. */
  public String postgresJdbcUrl(String database) {
    requireDatabaseName(database);
    String base = postgresBaseUrl();
    if (createdDatabases.add("postgres:" + database)) {
      createPostgresDatabase(base, database);
    }
    return base + "/" + database;
  }

  public String postgresUser() {
    return postgresUser;
  }

  public String postgresPassword() {
    return postgresPassword;
  }

  /** Kill, stop, restart, pause a server — only for servers this JVM started itself. */
  public Optional<ServerControl> control(Server server) {
    endpoint(server);
    return Optional.ofNullable(localServers.get(server));
  }

  /**
   * The control of SERVER for a test that kills, stops or pauses it. Throws — failing that test
   * with the reason, never skipping it — when this JVM did not start SERVER (it came from the
   * environment or from Testcontainers).
   */
  public ServerControl controlled(Server server) {
    return control(server)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    server
                        + " was not started by this test JVM ("
                        + mode
                        + "), so a fault test cannot kill, stop or pause it. Run the fault tests"
                        + " with local servers: unset "
                        + ENV_KAFKA
                        + ", "
                        + ENV_CLICKHOUSE
                        + " and "
                        + ENV_POSTGRES
                        + ", and set "
                        + ENV_SERVERS
                        + "=local where a Docker engine answers."));
  }

  /**
   * A new nginx load balancer (HTTP and WebSocket) on a free port in front of 127.0.0.1:PORTS,
   * started from the locally installed nginx whatever mode the other servers came from.
   */
  public Nginx nginx(List<Integer> upstreamPorts) {
    if (upstreamPorts.isEmpty()) {
      throw new IllegalArgumentException("nginx needs at least one upstream port");
    }
    LocalScripts.ScriptFailedException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int port = FreePorts.next();
      var dir = localRun.run().serverDir("nginx-" + port);
      List<String> args = new ArrayList<>(List.of("start", dir.toString(), Integer.toString(port)));
      upstreamPorts.forEach(upstream -> args.add(Integer.toString(upstream)));
      try {
        localRun.scripts().run("nginx.sh", args.toArray(String[]::new));
      } catch (LocalScripts.ScriptFailedException e) {
        last = e;
        if (e.portTaken()) {
          continue;
        }
        throw new IllegalStateException(
            "nginx could not start (is it installed? deploy/local/install.sh): " + e.getMessage(),
            e);
      }
      Nginx nginx = new Nginx(port, dir, upstreamPorts, localRun.scripts(), () -> {});
      localRun.track(nginx);
      return nginx;
    }
    throw new IllegalStateException("nginx found no free port", last);
  }

  // ---- boot

  private static RealServers boot() {
    Map<String, String> env = System.getenv();
    Map<Server, String> fromEnv = new EnumMap<>(Server.class);
    putIfSet(fromEnv, Server.KAFKA, env.get(ENV_KAFKA));
    putIfSet(fromEnv, Server.CLICKHOUSE, env.get(ENV_CLICKHOUSE));
    putIfSet(fromEnv, Server.POSTGRES, env.get(ENV_POSTGRES));
    fromEnv.forEach((server, url) -> log(server + ": from the environment, " + url));

    boolean needsMore = fromEnv.size() < Server.values().length;
    boolean forcedLocal = "local".equalsIgnoreCase(env.getOrDefault(ENV_SERVERS, "").strip());
    boolean docker = needsMore && !forcedLocal && Containers.dockerAvailable();
    if (needsMore) {
      log(docker ? "a Docker engine answers: Testcontainers" : "no Docker engine: local servers");
    }
    LocalRun localRun = new LocalRun();
    Map<Server, LocalServer> localServers = new ConcurrentHashMap<>();
    Map<Server, CompletableFuture<String>> endpoints = new EnumMap<>(Server.class);
    fromEnv.forEach((server, url) -> endpoints.put(server, CompletableFuture.completedFuture(url)));
    // Started in parallel and in the background: a test waits only for the servers it asks for.
    // Own threads, because the common pool has one thread on two cores and these mostly wait.
    ExecutorService starters = Executors.newFixedThreadPool(Server.values().length, daemon());
    for (Server server : Server.values()) {
      if (fromEnv.containsKey(server)) {
        continue;
      }
      Supplier<String> start =
          docker ? () -> startContainer(server) : () -> startLocal(server, localRun, localServers);
      endpoints.put(server, CompletableFuture.supplyAsync(start, starters));
    }
    CompletableFuture.allOf(endpoints.values().toArray(CompletableFuture[]::new))
        .whenComplete((done, failure) -> starters.shutdown());
    boolean postgresFromEnv = fromEnv.containsKey(Server.POSTGRES);
    return new RealServers(
        endpoints,
        localServers,
        postgresFromEnv
            ? env.getOrDefault(ENV_POSTGRES_USER, LOCAL_POSTGRES_USER)
            : LOCAL_POSTGRES_USER,
        postgresFromEnv
            ? env.getOrDefault(ENV_POSTGRES_PASSWORD, LOCAL_POSTGRES_PASSWORD)
            : LOCAL_POSTGRES_PASSWORD,
        localRun,
        (fromEnv.isEmpty() ? "" : fromEnv.keySet() + " from the environment, ")
            + (docker ? "Testcontainers" : "local servers"));
  }

  private static ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "real-servers-start");
      thread.setDaemon(true);
      return thread;
    };
  }

  private static void putIfSet(Map<Server, String> map, Server server, String value) {
    if (value != null && !value.isBlank()) {
      map.put(server, value.strip());
    }
  }

  /** Waits for SERVER if it is still starting; throws (every time) if it could not start. */
  private String endpoint(Server server) {
    try {
      return endpoints.get(server).join();
    } catch (CompletionException e) {
      throw new IllegalStateException(
          server + " could not be started: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static String startContainer(Server server) {
    long started = System.nanoTime();
    String endpoint =
        switch (server) {
          case KAFKA -> Containers.kafkaBootstrap();
          case CLICKHOUSE -> Containers.clickhouseHttpUrl();
          case POSTGRES -> Containers.postgresUrl();
        };
    log(server + ": Testcontainers, " + endpoint + " (" + seconds(started) + ")");
    return endpoint;
  }

  private static String startLocal(
      Server server, LocalRun localRun, Map<Server, LocalServer> localServers) {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Ports ports = Ports.forServer(server);
      LocalServer local =
          new LocalServer(
              scriptOf(server),
              localRun.run().serverDir(server.name().toLowerCase(java.util.Locale.ROOT)),
              ports.all(),
              localRun.scripts());
      // Tracked before it starts, so a JVM exiting mid-start still stops it.
      localRun.track(local);
      try {
        local.start();
      } catch (LocalScripts.ScriptFailedException e) {
        localRun.untrack(local);
        if (e.portTaken() && attempt < START_ATTEMPTS) {
          continue;
        }
        throw e;
      }
      localServers.put(server, local);
      String endpoint = ports.endpoint(server);
      log(
          server
              + ": local server "
              + endpoint
              + " ("
              + seconds(started)
              + "), data and logs in "
              + local.dir());
      return endpoint;
    }
  }

  private static String scriptOf(Server server) {
    return server.name().toLowerCase(java.util.Locale.ROOT) + ".sh";
  }

  /** The ports a local server gets; the first is the one clients use. */
  private record Ports(List<Integer> all) {
    static Ports forServer(Server server) {
      return switch (server) {
        case KAFKA, CLICKHOUSE -> new Ports(List.of(FreePorts.next(), FreePorts.next()));
        case POSTGRES -> new Ports(List.of(FreePorts.next()));
      };
    }

    String endpoint(Server server) {
      int port = all.get(0);
      return switch (server) {
        case KAFKA -> "127.0.0.1:" + port;
        case CLICKHOUSE -> "http://127.0.0.1:" + port;
        case POSTGRES -> "jdbc:postgresql://127.0.0.1:" + port;
      };
    }
  }

  // ---- databases

  private static void requireDatabaseName(String database) {
    if (database == null || !DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
  }

  private void clickhouseQuery(String sql) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(clickhouseHttpUrl() + "/"))
            .timeout(HTTP_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(sql))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "ClickHouse refused '" + sql + "': " + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "ClickHouse at " + clickhouseHttpUrl() + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The PostgreSQL URL without a database, whatever the environment variable carried. */
  private String postgresBaseUrl() {
    String url = endpoint(Server.POSTGRES);
    int hostStart = url.indexOf("//") + 2;
    int pathStart = url.indexOf('/', hostStart);
    return pathStart < 0 ? url : url.substring(0, pathStart);
  }

  private void createPostgresDatabase(String base, String database) {
    try (Connection connection =
        DriverManager.getConnection(base + "/postgres", postgresUser, postgresPassword)) {
      try (PreparedStatement exists =
          connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, database);
        try (ResultSet rows = exists.executeQuery()) {
          if (rows.next()) {
            return;
          }
        }
      }
      try (Statement create = connection.createStatement()) {
        create.execute("CREATE DATABASE \"" + database + "\"");
      }
    } catch (SQLException e) {
      // 42P04 duplicate_database / 23505: another test created it at the same moment.
      if ("42P04".equals(e.getSQLState()) || "23505".equals(e.getSQLState())) {
        return;
      }
      throw new IllegalStateException("cannot create PostgreSQL database " + database, e);
    }
  }

  // ---- helpers

  static void log(String message) {
    System.err.println("[RealServers] " + message);
  }

  private static String seconds(long startedNanos) {
    return String.format(
        java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1_000_000_000.0);
  }

  /**
   * The local side of this JVM: the scripts, the run directory (created on first use), and what
   * must be stopped when the JVM exits.
   */
  private static final class LocalRun {
    private final Set<LocalServer> servers = ConcurrentHashMap.newKeySet();
    private final Set<Nginx> nginxes = ConcurrentHashMap.newKeySet();
    private LocalScripts scripts;
    private TestRun run;

    synchronized LocalScripts scripts() {
      if (scripts == null) {
        scripts = LocalScripts.fromSystemProperties();
        scripts.run("install.sh");
      }
      return scripts;
    }

    synchronized TestRun run() {
      if (run == null) {
        run = TestRun.create(scripts());
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "real-servers-shutdown"));
      }
      return run;
    }

    void track(LocalServer server) {
      servers.add(server);
    }

    void untrack(LocalServer server) {
      servers.remove(server);
    }

    void track(Nginx nginx) {
      nginxes.add(nginx);
    }

    private void shutdown() {
      List<Thread> stopping = new ArrayList<>();
      nginxes.forEach(nginx -> stopping.add(new Thread(quietly(nginx::close))));
      servers.forEach(server -> stopping.add(new Thread(quietly(server::stop))));
      stopping.forEach(Thread::start);
      for (Thread thread : stopping) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if ("true".equalsIgnoreCase(System.getenv(ENV_KEEP_RUNS))) {
        log("kept " + run.dir() + " (" + ENV_KEEP_RUNS + "=true)");
        return;
      }
      run.delete();
    }

    private static Runnable quietly(Runnable action) {
      return () -> {
        try {
          action.run();
        } catch (RuntimeException e) {
          log("while stopping: " + e.getMessage());
        }
      };
    }
  }
}
