import io.redstats.contract.auth.TokenMinter;
import io.redstats.contract.schema.ClickHouseSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GET /stats against a plain SQL scan of the raw table, on N generated events (run.sh starts it).
 *
 * <p>Loads N events with INSERT ... SELECT FROM numbers into a database of its own, through the
 * real schema (the materialized views fill the rollups as in production), starts the api jar on
 * it, then times each scenario: the API (HTTP, token, parse, rollup SQL) and the same count by
 * plain SQL on the raw table over the same range, alternating, in the same run. Checks both give
 * the same numbers.
 */
public class QueryBench {

  /** 30 days of events: 2026-10-01 to 2026-10-31 (UTC). */
  static final long START_MS = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();

  static final long SPAN_MS = 30L * 86_400_000L;

  /** Many clients and uniform red: the least the rollups can compress (worst case for them). */
  static final int CLIENTS = 100;

  static final int CHUNK = 10_000_000;
  static final int WARMUP = 3;
  static final String THRESHOLD = "0.85";
  static final int THRESHOLD_UNITS = 85_000;

  /** client 0: every client (an admin token); else the client_id asked for. */
  record Scenario(String name, long fromMs, long toMs, long client) {
    Scenario(String name, long fromMs, long toMs) {
      this(name, fromMs, toMs, 0);
    }
  }

  public static void main(String[] args) throws Exception {
    String httpUrl = args[0];
    long events = Long.parseLong(args[1]);
    int iterations = Integer.parseInt(args[2]);
    Path apiJar = Path.of(args[3]);
    Path report = Path.of(args[4]);
    URI http = URI.create(httpUrl);
    String db = "bench_query";
    String jdbc = "jdbc:clickhouse://" + http.getHost() + ":" + http.getPort() + "/" + db + "?compress=0&socket_timeout=600000";

    ClickHouseSchema.migrate(jdbc, "default", "");
    try (Connection c = DriverManager.getConnection(jdbc, "default", "")) {
      load(c, events);
      String secret = "bench-" + UUID.randomUUID();
      int port = freePort();
      Process api = startApi(apiJar, port, jdbc, secret);
      try {
        waitForHealth(port);
        String token = new TokenMinter(secret).mint("bench", null, List.of("admin"), Duration.ofHours(2));
        List<Scenario> scenarios =
            List.of(
                new Scenario("full range (30 days)", START_MS, START_MS + SPAN_MS),
                new Scenario("full range, one client", START_MS, START_MS + SPAN_MS, 42),
                new Scenario(
                    "one day, unaligned edges",
                    START_MS + 10 * 86_400_000L + 1_234_567,
                    START_MS + 11 * 86_400_000L + 1_234_567),
                new Scenario(
                    "one hour, unaligned edges",
                    START_MS + 15 * 86_400_000L + 1_234_567,
                    START_MS + 15 * 86_400_000L + 3_600_000L + 1_234_567));
        StringBuilder out = new StringBuilder();
        out.append(header(c, events, iterations));
        out.append("| scenario | API p50 ms | API p99 ms | raw SQL p50 ms | raw SQL p99 ms | API/raw p50 | API/raw p99 | images | above |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Scenario s : scenarios) {
          out.append(run(c, port, token, s, iterations)).append('\n');
        }
        out.append(sizes(c, db));
        Files.writeString(report, out.toString());
        System.out.println(out);
      } finally {
        api.destroy();
        api.waitFor();
      }
    }
  }

  static void load(Connection c, long events) throws SQLException {
    long have = scalar(c, "SELECT count() FROM events");
    if (have == events) {
      System.out.println("events already loaded: " + have);
      return;
    }
    for (String table : List.of("events", "events_by_minute", "events_by_hour_bucket", "events_by_hour_red")) {
      exec(c, "TRUNCATE TABLE " + table);
    }
    long started = System.nanoTime();
    for (long offset = 0; offset < events; offset += CHUNK) {
      long count = Math.min(CHUNK, events - offset);
      String n = "(number + " + offset + ")";
      String ts = "(" + START_MS + " + intDiv(" + n + " * " + SPAN_MS + ", " + events + ") + cityHash64(" + n + ") % 1000)";
      exec(
          c,
          "INSERT INTO events (image_id, client_id, ts, ts_ms, red, kafka_partition, kafka_offset, ingested_ms)"
              + " SELECT " + n + " + 1, cityHash64(" + n + ", 1) % " + CLIENTS + " + 1,"
              + " toDateTime(intDiv(" + ts + ", 1000)), " + ts + ","
              + " toUInt32(cityHash64(" + n + ", 2) % 100001), toUInt32(" + n + " % 12), " + n + ", " + ts
              + " FROM numbers(" + count + ")");
      System.out.printf(Locale.ROOT, "loaded %d / %d events (%.0f s)%n", offset + count, events, (System.nanoTime() - started) / 1e9);
    }
    exec(c, "OPTIMIZE TABLE events_by_hour_bucket FINAL");
    exec(c, "OPTIMIZE TABLE events_by_hour_red FINAL");
    exec(c, "OPTIMIZE TABLE events_by_minute FINAL");
  }

  static String run(Connection c, int port, String token, Scenario s, int iterations) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats?from=" + s.fromMs() + "&to=" + s.toMs() + "&red=" + THRESHOLD + (s.client() == 0 ? "" : "&client_id=" + s.client())))
            .header("Authorization", "Bearer " + token)
            .build();
    String rawSql =
        "SELECT count(), countIf(red > ?) FROM events WHERE ts >= toDateTime(?) AND ts <= toDateTime(?) AND ts_ms >= ? AND ts_ms < ?"
            + (s.client() == 0 ? "" : " AND client_id = " + s.client());
    double[] api = new double[iterations];
    double[] raw = new double[iterations];
    long[] apiCounts = null;
    long[] rawCounts = null;
    for (int i = -WARMUP; i < iterations; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      long t1 = System.nanoTime();
      if (response.statusCode() != 200) {
        throw new IllegalStateException(response.statusCode() + " " + response.body());
      }
      apiCounts = new long[] {field(response.body(), "images"), field(response.body(), "above")};
      long t2 = System.nanoTime();
      try (PreparedStatement p = c.prepareStatement(rawSql)) {
        p.setInt(1, THRESHOLD_UNITS);
        p.setLong(2, Math.floorDiv(s.fromMs(), 1000));
        p.setLong(3, Math.floorDiv(s.toMs() - 1, 1000));
        p.setLong(4, s.fromMs());
        p.setLong(5, s.toMs());
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          rawCounts = new long[] {rs.getLong(1), rs.getLong(2)};
        }
      }
      long t3 = System.nanoTime();
      if (i >= 0) {
        api[i] = (t1 - t0) / 1e6;
        raw[i] = (t3 - t2) / 1e6;
      }
    }
    if (!Arrays.equals(apiCounts, rawCounts)) {
      throw new IllegalStateException(s.name() + ": API " + Arrays.toString(apiCounts) + " but raw SQL " + Arrays.toString(rawCounts));
    }
    double a50 = percentile(api, 50), a99 = percentile(api, 99), r50 = percentile(raw, 50), r99 = percentile(raw, 99);
    return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %d | %d |", s.name(), a50, a99, r50, r99, a50 / r50, a99 / r99, apiCounts[0], apiCounts[1]);
  }

  static String header(Connection c, long events, int iterations) throws SQLException {
    return "ClickHouse " + string(c, "SELECT version()") + ", " + events + " events over 30 days, " + CLIENTS
        + " clients, red uniform in [0, 1]; threshold " + THRESHOLD + "; " + iterations + " timed iterations after " + WARMUP
        + " warm-up, API and raw SQL alternating; " + Runtime.getRuntime().availableProcessors() + " cores; " + Instant.now() + "\n\n";
  }

  static String sizes(Connection c, String db) throws SQLException {
    StringBuilder out = new StringBuilder("\n| table | rows | bytes on disk | share of raw |\n|---|---|---|---|\n");
    long raw = 0;
    List<String[]> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT table, sum(rows), sum(bytes_on_disk) FROM system.parts WHERE database = '" + db + "' AND active GROUP BY table ORDER BY table")) {
      while (rs.next()) {
        rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        if (rs.getString(1).equals("events")) {
          raw = rs.getLong(3);
        }
      }
    }
    long rollups = 0;
    for (String[] r : rows) {
      long bytes = Long.parseLong(r[2]);
      if (!r[0].equals("events") && r[0].startsWith("events_")) {
        rollups += bytes;
      }
      out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.1f %% |%n", r[0], r[1], bytes, 100.0 * bytes / raw));
    }
    out.append(String.format(Locale.ROOT, "| all rollups | | %,d | %.1f %% |%n", rollups, 100.0 * rollups / raw));
    return out.toString();
  }

  static Process startApi(Path jar, int port, String jdbc, String secret) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString(),
            "--server.port=" + port, "--server.address=127.0.0.1",
            "--redstats.clickhouse.url=" + jdbc, "--redstats.security.jwt-secret=" + secret,
            "--redstats.api.rate-limit.per-second=100000", "--redstats.api.rate-limit.burst=100000",
            "--redstats.api.query-timeout=120s")
        .redirectErrorStream(true)
        .redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "bench-query-api.log").toFile())
        .start();
  }

  static void waitForHealth(int port) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("api did not start; see " + System.getProperty("java.io.tmpdir") + "/bench-query-api.log");
  }

  static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static long field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return Long.parseLong(m.group(1));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static long scalar(Connection c, String sql) throws SQLException {
    return Long.parseLong(string(c, sql));
  }

  static String string(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
