package io.redstats.api.stats;

import io.redstats.api.params.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one SELECT that answers a plan: a {@code UNION ALL} of one sub-select per table, each giving
 * {@code (k, n, n_above)} rows, summed per bucket {@code k} (always 0 for a plain count).
 * Everything the caller chose is a {@code ?} parameter; the only numbers written into the text are
 * the step's fixed divisors. Runs on ClickHouse 18.16: integer time arithmetic, no casts by {@code
 * ::}, no {@code toStartOfInterval}.
 */
final class StatsSql {

  /**
   * Width of a red bucket in {@code events_by_hour_bucket}, in units of 1/100000: must equal the
   * {@code intDiv(red, 1000)} of migration V2.
   */
  static final int RED_BUCKET_UNITS = 1000;

  private final StringBuilder union = new StringBuilder();
  private final List<Object> args = new ArrayList<>();
  private final int thresholdUnits;
  private final Long clientId;
  private final Step step;

  private StatsSql(int thresholdUnits, Long clientId, Step step) {
    this.thresholdUnits = thresholdUnits;
    this.clientId = clientId;
    this.step = step;
  }

  /**
   * SQL text and its parameters, in order.
   *
   * @param keyed whether rows carry a bucket column {@code k}; else one row, the total
   */
  record Query(String sql, List<Object> args, boolean keyed) {}

  /**
   * @param step null for one total, else the series step every segment's unit divides
   */
  static Query build(List<Segment> segments, int thresholdUnits, Long clientId, Step step) {
    StatsSql sql = new StatsSql(thresholdUnits, clientId, step);
    Map<Level, List<Segment>> byLevel = new EnumMap<>(Level.class);
    segments.forEach(s -> byLevel.computeIfAbsent(s.level(), l -> new ArrayList<>()).add(s));
    if (byLevel.keySet().equals(Set.of(Level.RAW))) {
      // one scan of the raw table: no union, no outer query (short ranges pay no overhead);
      // a plain count has no key at all, the very SELECT a person would write by hand
      sql.raw(byLevel.get(Level.RAW), step != null, "images", "above");
      if (step == null) {
        return new Query(sql.union.toString(), List.copyOf(sql.args), false);
      }
      return new Query(sql.union + " ORDER BY k", List.copyOf(sql.args), true);
    }
    byLevel.forEach(sql::add);
    String text =
        "SELECT k, sum(n) AS images, sum(n_above) AS above FROM ("
            + sql.union
            + ") GROUP BY k ORDER BY k";
    return new Query(text, List.copyOf(sql.args), true);
  }

  /** One sub-select per table, whatever the number of segments it answers (OR of ranges). */
  private void add(Level level, List<Segment> segments) {
    switch (level) {
      case RAW -> raw(segments, true, "n", "n_above");
      case MINUTE -> minutes(segments);
      case HOUR -> hours(segments);
    }
  }

  private void raw(List<Segment> segments, boolean keyed, String total, String above) {
    List<Object> ranges = new ArrayList<>();
    for (Segment s : segments) {
      // the seconds column leads the primary key: it lets ClickHouse skip to the range
      ranges.addAll(
          List.of(
              Math.floorDiv(s.fromMs(), 1000L),
              Math.floorDiv(s.toMs() - 1, 1000L),
              s.fromMs(),
              s.toMs()));
    }
    select(
        keyed ? bucketOf("ts_ms", 1) : null,
        "count() AS " + total + ", countIf(red > ?) AS " + above,
        "events",
        anyOf("ts >= toDateTime(?) AND ts <= toDateTime(?) AND ts_ms >= ? AND ts_ms < ?", segments),
        prepend(thresholdUnits, ranges));
  }

  private void minutes(List<Segment> segments) {
    select(
        bucketOf("minute", Level.MINUTE.millis()),
        "sum(images) AS n, sumIf(images, red > ?) AS n_above",
        "events_by_minute",
        anyOf("minute >= ? AND minute < ?", segments),
        prepend(thresholdUnits, units(segments)));
  }

  /**
   * Buckets above the threshold's bucket count whole; the threshold's own bucket red by red. A
   * question about every client reads the tables without client_id (V3): far fewer rows.
   */
  private void hours(List<Segment> segments) {
    int bucket = thresholdUnits / RED_BUCKET_UNITS;
    boolean allClients = clientId == null;
    select(
        bucketOf("hour", Level.HOUR.millis()),
        "sum(images) AS n, sumIf(images, bucket > ?) AS n_above",
        allClients ? "events_all_by_hour_bucket" : "events_by_hour_bucket",
        anyOf("hour >= ? AND hour < ?", segments),
        prepend(bucket, units(segments)));
    List<Object> fine = new ArrayList<>(List.of(bucket, thresholdUnits));
    fine.addAll(units(segments));
    select(
        bucketOf("hour", Level.HOUR.millis()),
        "toUInt64(0) AS n, sum(images) AS n_above",
        allClients ? "events_all_by_hour_red" : "events_by_hour_red",
        "bucket = ? AND red > ? AND (" + anyOf("hour >= ? AND hour < ?", segments) + ")",
        fine);
  }

  private static String anyOf(String range, List<Segment> segments) {
    return String.join(" OR ", Collections.nCopies(segments.size(), "(" + range + ")"));
  }

  private static List<Object> units(List<Segment> segments) {
    List<Object> units = new ArrayList<>();
    segments.forEach(s -> units.addAll(List.of(s.fromUnit(), s.toUnit())));
    return units;
  }

  private static List<Object> prepend(Object first, List<Object> rest) {
    List<Object> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  /** The bucket index of a row whose time column counts units of {@code unitMillis}. */
  private String bucketOf(String column, long unitMillis) {
    if (step == null) {
      return "toUInt64(0)";
    }
    return "toUInt64(intDiv(" + column + ", " + (step.millis() / unitMillis) + "))";
  }

  /** One sub-select; {@code key} null: no bucket column and no GROUP BY (one total row). */
  private void select(String key, String counts, String table, String where, List<Object> params) {
    if (union.length() > 0) {
      union.append(" UNION ALL ");
    }
    union.append("SELECT ");
    if (key != null) {
      union.append(key).append(" AS k, ");
    }
    union
        .append(counts)
        .append(" FROM ")
        .append(table)
        .append(" WHERE (")
        .append(where)
        .append(")");
    args.addAll(params);
    if (clientId != null) {
      union.append(" AND client_id = ?");
      args.add(clientId);
    }
    if (key != null) {
      union.append(" GROUP BY k");
    }
  }
}
