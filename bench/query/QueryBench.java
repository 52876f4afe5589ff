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

  /**
   * Rows per INSERT ... SELECT: small enough to print progress every few seconds and to keep one
   * statement well inside the socket timeout, large enough that the views see big blocks.
   */
  static final int CHUNK = 5_000_000;
  static final int WARMUP = 3;
  static final String THRESHOLD = "0.85";
  static final int THRESHOLD_UNITS = 85_000;

  /**
   * Every API request before the timed ones, so the api's JIT has compiled its request path
   * ({@code bench.api-warmup}: run.sh's --api-warmup; the quick suite uses fewer).
   */
  static final int API_WARMUP_REQUESTS = Integer.getInteger("bench.api-warmup", 1_000);

  /** ...but never longer than this: a loaded machine must still finish the quick run in a minute. */
  static final Duration API_WARMUP_LIMIT = Duration.ofSeconds(30);

  /**
   * A scenario stops timing after this long once it has {@link #MIN_ITERATIONS} rounds: on a busy
   * machine a raw scan of 100 M events takes seconds, and 30 rounds of two full-range scenarios
   * would hold the machine for half an hour.
   */
  static final Duration SCENARIO_BUDGET = Duration.ofMinutes(3);

  static final int MIN_ITERATIONS = 5;

  /**
   * client 0: every client (an admin token); else the client_id asked for. key: the prefix of its
   * KEY=VALUE lines.
   */
  record Scenario(String key, String name, long fromMs, long toMs, long client) {
    Scenario(String key, String name, long fromMs, long toMs) {
      this(key, name, fromMs, toMs, 0);
    }
  }

  /** Timings of one scenario, milliseconds. */
  record Result(Scenario scenario, double[] api, double[] raw, long images, long above, double apiCpuMsPerRequest) {
    double ratioP50() {
      return percentile(api, 50) / percentile(raw, 50);
    }

    double ratioP99() {
      return percentile(api, 99) / percentile(raw, 99);
    }

    /** The median of (API − raw) over the pairs: what the api adds to one query. */
    double overheadP50() {
      double[] d = new double[api.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = api[i] - raw[i];
      }
      return percentile(d, 50);
    }
  }

  public static void main(String[] args) throws Exception {
    String httpUrl = args[0];
    long events = Long.parseLong(args[1]);
    int iterations = Integer.parseInt(args[2]);
    Path apiJar = Path.of(args[3]);
    Path report = Path.of(args[4]);
    boolean loadOnly = Boolean.parseBoolean(args[5]);
    String command = args[6];
    URI http = URI.create(httpUrl);
    // one database per size, so a quick run never truncates the big data set
    String db = "bench_query_" + events;
    String apiJdbc = "jdbc:clickhouse://" + http.getHost() + ":" + http.getPort() + "/" + db + "?compress=0";
    // loading and OPTIMIZE FINAL of 100 M rows run for minutes in one statement
    String jdbc = apiJdbc + "&socket_timeout=" + Duration.ofHours(2).toMillis();
    String loadBefore = loadAverage();

    ClickHouseSchema.migrate(jdbc, "default", "");
    try (Connection c = DriverManager.getConnection(jdbc, "default", "")) {
      long loadSeconds = load(c, events);
      if (loadOnly) {
        System.out.println(sizes(c, db).table());
        return;
      }
      String secret = "bench-" + UUID.randomUUID();
      int port = freePort();
      Process api = startApi(apiJar, port, apiJdbc, secret);
      try {
        waitForHealth(port);
        String token = new TokenMinter(secret).mint("bench", null, List.of("admin"), Duration.ofHours(2));
        List<Scenario> scenarios =
            List.of(
                new Scenario("full_range", "full range (30 days)", START_MS, START_MS + SPAN_MS),
                new Scenario("full_range_one_client", "full range, one client", START_MS, START_MS + SPAN_MS, 42),
                new Scenario(
                    "one_day",
                    "one day, unaligned edges",
                    START_MS + 10 * 86_400_000L + 1_234_567,
                    START_MS + 11 * 86_400_000L + 1_234_567),
                new Scenario(
                    "one_hour",
                    "one hour, unaligned edges",
                    START_MS + 15 * 86_400_000L + 1_234_567,
                    START_MS + 15 * 86_400_000L + 3_600_000L + 1_234_567));
        HttpClient client = HttpClient.newHttpClient();
        warmUp(client, port, token, scenarios.get(scenarios.size() - 1));
        List<Result> results = new ArrayList<>();
        for (Scenario s : scenarios) {
          results.add(run(c, client, port, token, s, iterations, api.pid()));
          System.out.println("scenario done: " + s.name());
        }
        Sizes sizes = sizes(c, db);
        String loadAfter = loadAverage();
        String keys = keyValues(events, iterations, loadSeconds, loadBefore, loadAfter, results, sizes);
        String out =
            header(c, events, iterations, loadBefore, loadAfter, command)
                + table(results)
                + sizes.table()
                + "\nThe same as KEY=VALUE lines (what the run printed last):\n\n```\n"
                + keys
                + "```\n";
        Files.writeString(report, out);
        System.out.println(out);
        // last, so a suite can take every line with '=' after the marker
        System.out.println("--- query bench keys ---");
        System.out.print(keys);
      } finally {
        api.destroy();
        api.waitFor();
      }
    }
  }

  /** Short API requests until the JIT has seen the request path, like a server that has run a while. */
  static void warmUp(HttpClient client, int port, String token, Scenario s) throws Exception {
    long deadline = System.nanoTime() + API_WARMUP_LIMIT.toNanos();
    HttpRequest request = apiRequest(port, token, s);
    int n = 0;
    long started = System.nanoTime();
    while (n < API_WARMUP_REQUESTS && System.nanoTime() < deadline) {
      client.send(request, HttpResponse.BodyHandlers.discarding());
      n++;
    }
    System.out.printf(Locale.ROOT, "api warm-up: %d requests, %.1f s%n", n, (System.nanoTime() - started) / 1e9);
  }

  /** Seconds it took, or -1 when the events were there already. */
  static long load(Connection c, long events) throws SQLException {
    long have = scalar(c, "SELECT count() FROM events");
    if (have == events) {
      System.out.println("events already loaded: " + have);
      return -1;
    }
    List<String> tables = tables(c);
    for (String table : tables) {
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
      double seconds = (System.nanoTime() - started) / 1e9;
      long done = offset + count;
      System.out.printf(
          Locale.ROOT,
          "load: %d / %d events, %.0f s, %.0f k events/s, eta %.0f s, %s on disk (all tables)%n",
          done, events, seconds, done / seconds / 1e3, (events - done) * seconds / done, gigabytes(c));
    }
    // Every table as production would hold it after its background merges: one part per
    // partition, rollup rows of one key summed. Timed apart from the insert above.
    for (String table : tables) {
      long t0 = System.nanoTime();
      exec(c, "OPTIMIZE TABLE " + table + " FINAL");
      System.out.printf(Locale.ROOT, "load: OPTIMIZE TABLE %s FINAL took %.0f s%n", table, (System.nanoTime() - t0) / 1e9);
    }
    long seconds = Math.round((System.nanoTime() - started) / 1e9);
    System.out.printf(Locale.ROOT, "load: done in %d s, %s on disk%n", seconds, gigabytes(c));
    return seconds;
  }

  /** The raw table and every rollup (not the views, which hold nothing themselves). */
  static List<String> tables(Connection c) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree' AND name LIKE 'events%' ORDER BY name")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    return tables;
  }

  static String gigabytes(Connection c) throws SQLException {
    long bytes = scalar(c, "SELECT sum(bytes_on_disk) FROM system.parts WHERE database = currentDatabase() AND active");
    return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
  }

  static HttpRequest apiRequest(int port, String token, Scenario s) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats?from=" + s.fromMs() + "&to=" + s.toMs() + "&red=" + THRESHOLD + (s.client() == 0 ? "" : "&client_id=" + s.client())))
        .header("Authorization", "Bearer " + token)
        .build();
  }

  static Result run(Connection c, HttpClient client, int port, String token, Scenario s, int iterations, long apiPid) throws Exception {
    HttpRequest request = apiRequest(port, token, s);
    String rawSql =
        "SELECT count(), countIf(red > ?) FROM events WHERE ts >= toDateTime(?) AND ts <= toDateTime(?) AND ts_ms >= ? AND ts_ms < ?"
            + (s.client() == 0 ? "" : " AND client_id = " + s.client());
    double[] api = new double[iterations];
    double[] raw = new double[iterations];
    long[] apiCounts = null;
    long[] rawCounts = null;
    double apiCpuMs = 0;
    int done = 0;
    long budgetEnd = Long.MAX_VALUE;
    for (int i = -WARMUP; i < iterations; i++) {
      if (i == 0) {
        budgetEnd = System.nanoTime() + SCENARIO_BUDGET.toNanos();
      } else if (i >= MIN_ITERATIONS && System.nanoTime() > budgetEnd) {
        System.out.println(s.name() + ": time budget spent after " + i + " rounds");
        break;
      }
      double cpu0 = cpuMillis(apiPid);
      long t0 = System.nanoTime();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      long t1 = System.nanoTime();
      double cpu1 = cpuMillis(apiPid);
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
        apiCpuMs += cpu1 - cpu0;
        done = i + 1;
      }
      if (!Arrays.equals(apiCounts, rawCounts)) {
        throw new IllegalStateException(s.name() + ": API " + Arrays.toString(apiCounts) + " but raw SQL " + Arrays.toString(rawCounts));
      }
    }
    return new Result(s, Arrays.copyOf(api, done), Arrays.copyOf(raw, done), apiCounts[0], apiCounts[1], apiCpuMs / done);
  }

  /** CPU time the api process has used (all its threads, JIT and GC included), from /proc. */
  static double cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields 14 and 15 of stat (utime, stime), in clock ticks of 10 ms on Linux
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static String header(Connection c, long events, int iterations, String loadBefore, String loadAfter, String command) throws SQLException {
    return "ClickHouse " + string(c, "SELECT version()") + ", " + events + " events over 30 days, " + CLIENTS
        + " clients, red uniform in [0, 1]; threshold " + THRESHOLD + "; api warmed up with up to " + API_WARMUP_REQUESTS
        + " requests, then per scenario " + WARMUP + " warm-up and " + iterations + " timed iterations (fewer when a scenario passes " + SCENARIO_BUDGET.toMinutes() + " min), API and raw SQL alternating; "
        + Runtime.getRuntime().availableProcessors() + " cores; load average " + loadBefore + " at the start, " + loadAfter
        + " at the end; " + Instant.now() + "\n\n`" + command + "`\n\n";
  }

  static String table(List<Result> results) {
    StringBuilder out = new StringBuilder();
    out.append("| scenario | rounds | API p50 ms | API p99 ms | raw SQL p50 ms | raw SQL p99 ms | API/raw p50 | API/raw p99 | API − raw p50 ms | api CPU ms/request | images | above |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f | %.1f | %d | %d |%n",
          r.scenario().name(), r.api().length, percentile(r.api(), 50), percentile(r.api(), 99), percentile(r.raw(), 50), percentile(r.raw(), 99),
          r.ratioP50(), r.ratioP99(), r.overheadP50(), r.apiCpuMsPerRequest(), r.images(), r.above()));
    }
    return out.toString();
  }

  static String keyValues(long events, int iterations, long loadSeconds, String loadBefore, String loadAfter, List<Result> results, Sizes sizes) {
    StringBuilder k = new StringBuilder();
    k.append("events=").append(events).append('\n');
    k.append("iterations=").append(iterations).append('\n');
    k.append("load_seconds=").append(loadSeconds).append('\n');
    k.append("load_avg_start=").append(loadBefore.split(" ")[0]).append('\n');
    k.append("load_avg_end=").append(loadAfter.split(" ")[0]).append('\n');
    k.append("cores=").append(Runtime.getRuntime().availableProcessors()).append('\n');
    for (Result r : results) {
      String p = r.scenario().key() + ".";
      k.append(p).append("rounds=").append(r.api().length).append('\n');
      k.append(String.format(Locale.ROOT, "%sapi_p50_ms=%.1f%n", p, percentile(r.api(), 50)));
      k.append(String.format(Locale.ROOT, "%sapi_p99_ms=%.1f%n", p, percentile(r.api(), 99)));
      k.append(String.format(Locale.ROOT, "%sraw_p50_ms=%.1f%n", p, percentile(r.raw(), 50)));
      k.append(String.format(Locale.ROOT, "%sraw_p99_ms=%.1f%n", p, percentile(r.raw(), 99)));
      k.append(String.format(Locale.ROOT, "%sratio_p50=%.3f%n", p, r.ratioP50()));
      k.append(String.format(Locale.ROOT, "%sratio_p99=%.3f%n", p, r.ratioP99()));
      k.append(String.format(Locale.ROOT, "%soverhead_p50_ms=%.1f%n", p, r.overheadP50()));
      k.append(String.format(Locale.ROOT, "%sapi_cpu_ms_per_request=%.1f%n", p, r.apiCpuMsPerRequest()));
      k.append(p).append("images=").append(r.images()).append('\n');
      k.append(p).append("above=").append(r.above()).append('\n');
    }
    k.append(String.format(Locale.ROOT, "rollup_share_of_raw=%.3f%n", sizes.rollupShare()));
    k.append("raw_bytes=").append(sizes.rawBytes()).append('\n');
    k.append("rollup_bytes=").append(sizes.rollupBytes()).append('\n');
    k.append("full_range.target_ratio_p50=0.2\n");
    k.append("full_range.target_met=").append(byKey(results, "full_range").ratioP50() <= 0.2).append('\n');
    k.append("one_hour.target_ratio_p50=1.5\n");
    k.append("one_hour.target_met=").append(byKey(results, "one_hour").ratioP50() <= 1.5).append('\n');
    return k.toString();
  }

  static Result byKey(List<Result> results, String key) {
    return results.stream().filter(r -> r.scenario().key().equals(key)).findFirst().orElseThrow();
  }

  record Sizes(String table, long rawBytes, long rollupBytes) {
    double rollupShare() {
      return (double) rollupBytes / rawBytes;
    }
  }

  static Sizes sizes(Connection c, String db) throws SQLException {
    StringBuilder out = new StringBuilder("\n| table | rows | parts | bytes on disk | share of raw |\n|---|---|---|---|---|\n");
    long raw = 0;
    List<String[]> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT table, sum(rows), count(), sum(bytes_on_disk) FROM system.parts WHERE database = '" + db + "' AND active AND table LIKE 'events%' GROUP BY table ORDER BY table")) {
      while (rs.next()) {
        rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
        if (rs.getString(1).equals("events")) {
          raw = rs.getLong(4);
        }
      }
    }
    long rollups = 0;
    for (String[] r : rows) {
      long bytes = Long.parseLong(r[3]);
      if (!r[0].equals("events")) {
        rollups += bytes;
      }
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %.1f %% |%n", r[0], r[1], r[2], bytes, 100.0 * bytes / raw));
    }
    out.append(String.format(Locale.ROOT, "| all rollups | | | %,d | %.1f %% |%n", rollups, 100.0 * rollups / raw));
    return new Sizes(out.toString(), raw, rollups);
  }

  static Process startApi(Path jar, int port, String jdbc, String secret) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    // run.sh passes the api's extracted jar with its class data sharing archive when there is one
    // (half the CPU of a start): "<options> -jar <extracted jar>" in place of "-jar <jar>".
    String launch = System.getProperty("bench.api-launch", "").trim();
    command.addAll(launch.isEmpty() ? List.of("-jar", jar.toString()) : Arrays.asList(launch.split("\\s+")));
    command.addAll(
        List.of(
            "--server.port=" + port, "--server.address=127.0.0.1",
            "--redstats.clickhouse.url=" + jdbc,
            "--redstats.api.rate-limit.per-second=100000", "--redstats.api.rate-limit.burst=100000",
            "--redstats.api.query-timeout=120s"));
    ProcessBuilder builder = new ProcessBuilder(command);
    // The secret in the api's environment (owner-only), not on its world-readable command line.
    builder.environment().put("REDSTATS_SECURITY_JWT_SECRET", secret);
    return builder
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
