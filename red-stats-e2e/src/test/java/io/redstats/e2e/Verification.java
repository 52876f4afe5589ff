package io.redstats.e2e;

import io.redstats.contract.event.Red;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * What a load run must end with, checked against the truth: ClickHouse's raw table (a full SQL scan
 * of the run's clients) and GET /stats must both hold every acknowledged image exactly once, and
 * every subscriber must have received exactly the alerts its threshold and visibility call for —
 * the stored images of its own client with red strictly above its min_red — each once.
 *
 * <p>"Should have" is computed from what ClickHouse stores, not from what was acknowledged: an
 * image whose acknowledgement was lost (ingest killed after Kafka had it) is stored and alerted
 * legitimately. Losing an acknowledged image shows as {@code lost}.
 */
final class Verification {

  /** Once everything is in, a little longer so late duplicates (a redelivery) are seen too. */
  private static final Duration QUIET = Duration.ofSeconds(3);

  /** Between checks while waiting: a check is one small scan, and each wait adds to a short run. */
  private static final Duration POLL = Duration.ofMillis(500);

  /** The figures of one run; {@link #verified()} is the verdict. */
  record Result(
      long issued,
      long acknowledged,
      long unacknowledged,
      long refused,
      long retries,
      long stored,
      long duplicates,
      long lost,
      long apiImages,
      boolean apiAgrees,
      long alertsExpected,
      long alertsReceived,
      long alertsMissing,
      long alertsDuplicated,
      long alertsUnexpected,
      long reconnects,
      long tokenRefusals,
      long analystQueries,
      long analystFailures,
      long analystRegressions,
      double ackedPerSecond,
      long[] latencyMs,
      long[] redLatencyMs,
      Duration settleTime) {

    boolean verified() {
      return unacknowledged == 0
          && refused == 0
          && lost == 0
          && duplicates == 0
          && apiAgrees
          && alertsMissing == 0
          && alertsDuplicated == 0
          && alertsUnexpected == 0
          && analystRegressions == 0;
    }

    /** KEY=VALUE lines, the form the benchmark suite reads. */
    String lines() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("issued", issued);
      out.put("accepted", acknowledged);
      out.put("accepted_per_s", String.format("%.1f", ackedPerSecond));
      out.put("unacknowledged", unacknowledged);
      out.put("refused", refused);
      out.put("retries", retries);
      out.put("counted", stored);
      out.put("counted_api", apiImages);
      out.put("duplicates", duplicates);
      out.put("lost", lost);
      out.put("alerted", alertsReceived);
      out.put("alerts_expected", alertsExpected);
      out.put("alerts_missing", alertsMissing);
      out.put("alerts_duplicated", alertsDuplicated);
      out.put("alerts_unexpected", alertsUnexpected);
      out.put("reconnects", reconnects);
      out.put("analyst_queries", analystQueries);
      out.put("analyst_failures", analystFailures);
      out.put("e2e_latency_count", latencyMs.length);
      out.put("e2e_latency_p50_ms", percentile(latencyMs, 0.50));
      out.put("e2e_latency_p90_ms", percentile(latencyMs, 0.90));
      out.put("e2e_latency_p99_ms", percentile(latencyMs, 0.99));
      out.put("e2e_latency_max_ms", percentile(latencyMs, 1.0));
      out.put("red_e2e_latency_p50_ms", percentile(redLatencyMs, 0.50));
      out.put("red_e2e_latency_p99_ms", percentile(redLatencyMs, 0.99));
      out.put("settle_s", settleTime.toSeconds());
      out.put("verified", verified());
      return out.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("\n"));
    }
  }

  /** One stored row. */
  private record Row(long imageId, long clientId, int redUnits) {}

  private Verification() {}

  /**
   * Stops the load's posting, waits (up to TIMEOUT) until every event is acknowledged, stored and
   * alerted, then compares. Never throws for a mismatch: the result says what is wrong.
   */
  static Result await(Stack stack, LoadGenerator load, Duration timeout) throws Exception {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    load.stopPosting();
    load.awaitSettled(timeout);
    List<Row> rows = List.of();
    while (System.nanoTime() < deadline) {
      rows = storedRowsOrEmpty(stack, load);
      if (complete(load, rows)) {
        Thread.sleep(QUIET.toMillis());
        break;
      }
      Thread.sleep(POLL.toMillis());
    }
    Duration settle = Duration.ofNanos(System.nanoTime() - started);
    rows = storedRows(stack, load);
    return compare(stack, load, rows, settle, deadline);
  }

  private static boolean complete(LoadGenerator load, List<Row> rows) {
    Set<Long> stored = rows.stream().map(Row::imageId).collect(Collectors.toSet());
    if (load.pending() > 0 || !load.acked().stream().allMatch(a -> stored.contains(a.imageId()))) {
      return false;
    }
    for (Subscriber subscriber : load.subscribers()) {
      if (!subscriber.received().keySet().containsAll(expected(subscriber, rows))) {
        return false;
      }
    }
    return true;
  }

  private static Set<Long> expected(Subscriber subscriber, List<Row> rows) {
    Set<Long> expected = new HashSet<>();
    for (Row row : rows) {
      if (row.clientId() == subscriber.clientId
          && Red.isAbove(row.redUnits(), subscriber.minRedUnits)) {
        expected.add(row.imageId());
      }
    }
    return expected;
  }

  private static Result compare(
      Stack stack, LoadGenerator load, List<Row> rows, Duration settle, long deadline)
      throws Exception {
    Set<Long> distinct = rows.stream().map(Row::imageId).collect(Collectors.toSet());
    long lost = load.acked().stream().filter(a -> !distinct.contains(a.imageId())).count();

    long expectedTotal = 0;
    long received = 0;
    long missing = 0;
    long duplicated = 0;
    long unexpected = 0;
    long reconnects = 0;
    long tokenRefusals = 0;
    List<Long> latencies = new ArrayList<>();
    List<Long> redLatencies = new ArrayList<>();
    for (Subscriber subscriber : load.subscribers()) {
      Set<Long> expected = expected(subscriber, rows);
      Map<Long, Integer> got = new HashMap<>(subscriber.received());
      expectedTotal += expected.size();
      for (Map.Entry<Long, Integer> alert : got.entrySet()) {
        received += alert.getValue();
        duplicated += alert.getValue() - 1;
        if (!expected.contains(alert.getKey())) {
          unexpected++;
        }
      }
      missing += expected.stream().filter(id -> !got.containsKey(id)).count();
      reconnects += subscriber.reconnects();
      tokenRefusals += subscriber.tokenRefusals();
      subscriber
          .arrivals()
          .forEach(
              (imageId, arrival) -> {
                LoadGenerator.Acked acked = load.acked(imageId);
                if (acked != null) {
                  // An alert can beat its own 202 to the client: that is zero, not negative.
                  long ms = Math.max(0, (arrival - acked.ackNanos()) / 1_000_000);
                  (acked.viaRed() ? redLatencies : latencies).add(ms);
                }
              });
    }

    long apiImages = 0;
    boolean apiAgrees = true;
    for (long clientId : load.clientIds) {
      long sqlImages = rows.stream().filter(r -> r.clientId() == clientId).count();
      long sqlAbove =
          rows.stream()
              .filter(r -> r.clientId() == clientId && Red.isAbove(r.redUnits(), 50_000))
              .count();
      JsonNode stats = apiStats(load, clientId, deadline);
      long images = stats == null ? -1 : stats.path("images").asLong();
      long above = stats == null ? -1 : stats.path("above").asLong();
      apiImages += Math.max(0, images);
      apiAgrees &= images == sqlImages && above == sqlAbove;
    }

    return new Result(
        load.issued(),
        load.acked().size(),
        load.pending() + load.abandoned(),
        load.rejected(),
        load.retries(),
        rows.size(),
        rows.size() - distinct.size(),
        lost,
        apiImages,
        apiAgrees,
        expectedTotal,
        received,
        missing,
        duplicated,
        unexpected,
        reconnects,
        tokenRefusals,
        load.analystOk() + load.analystFailed(),
        load.analystFailed(),
        load.analystRegressions(),
        load.ackedPerSecond(),
        sorted(latencies),
        sorted(redLatencies),
        settle);
  }

  /** GET /stats for one client, retried (the api may still be restarting) until DEADLINE. */
  private static JsonNode apiStats(LoadGenerator load, long clientId, long deadline)
      throws InterruptedException {
    do {
      try {
        return Http.getJson(
            load.statsUrl(clientId, 50_000, System.currentTimeMillis()), load.queryToken(clientId));
      } catch (Exception | AssertionError e) {
        Thread.sleep(POLL.toMillis());
      }
    } while (System.nanoTime() < deadline);
    return null;
  }

  private static List<Row> storedRowsOrEmpty(Stack stack, LoadGenerator load) {
    try {
      return storedRows(stack, load);
    } catch (SQLException e) {
      return List.of(); // ClickHouse down or restarting: not complete yet
    }
  }

  /** Every row of the run's clients in the raw table, duplicates included: a full scan. */
  private static List<Row> storedRows(Stack stack, LoadGenerator load) throws SQLException {
    String clients =
        Arrays.stream(load.clientIds).mapToObj(Long::toString).collect(Collectors.joining(","));
    List<Row> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(stack.clickhouseUrl, "default", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT image_id, client_id, red FROM events WHERE client_id IN ("
                    + clients
                    + ")")) {
      while (rs.next()) {
        rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getInt(3)));
      }
    }
    return rows;
  }

  private static long[] sorted(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** Nearest-rank percentile of sorted VALUES; -1 when there are none. */
  static long percentile(long[] values, double p) {
    if (values.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p * values.length);
    return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
  }
}
