package io.redstats.api.stats;

import io.redstats.api.params.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * The one SELECT that answers a plan: a {@code UNION ALL} of one sub-select per segment, each
 * giving {@code (k, n, n_above)} rows, summed per bucket {@code k} (always 0 for a plain count).
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

  /** SQL text and its parameters, in order. */
  record Query(String sql, List<Object> args) {}

  /**
   * @param step null for one total, else the series step every segment's unit divides
   */
  static Query build(List<Segment> segments, int thresholdUnits, Long clientId, Step step) {
    StatsSql sql = new StatsSql(thresholdUnits, clientId, step);
    for (Segment segment : segments) {
      sql.add(segment);
    }
    String text =
        "SELECT k, sum(n) AS images, sum(n_above) AS above FROM ("
            + sql.union
            + ") GROUP BY k ORDER BY k";
    return new Query(text, List.copyOf(sql.args));
  }

  private void add(Segment segment) {
    switch (segment.level()) {
      case RAW -> raw(segment);
      case MINUTE -> minutes(segment);
      case HOUR -> hours(segment);
    }
  }

  private void raw(Segment s) {
    select(
        bucketOf("ts_ms", 1),
        "count() AS n, countIf(red > ?) AS n_above",
        "events",
        "ts >= toDateTime(?) AND ts <= toDateTime(?) AND ts_ms >= ? AND ts_ms < ?",
        thresholdUnits,
        // the seconds column leads the primary key: it lets ClickHouse skip to the range
        Math.floorDiv(s.fromMs(), 1000L),
        Math.floorDiv(s.toMs() - 1, 1000L),
        s.fromMs(),
        s.toMs());
  }

  private void minutes(Segment s) {
    select(
        bucketOf("minute", Level.MINUTE.millis()),
        "sum(images) AS n, sumIf(images, red > ?) AS n_above",
        "events_by_minute",
        "minute >= ? AND minute < ?",
        thresholdUnits,
        s.fromUnit(),
        s.toUnit());
  }

  /** Buckets above the threshold's bucket count whole; the threshold's own bucket red by red. */
  private void hours(Segment s) {
    int bucket = thresholdUnits / RED_BUCKET_UNITS;
    select(
        bucketOf("hour", Level.HOUR.millis()),
        "sum(images) AS n, sumIf(images, bucket > ?) AS n_above",
        "events_by_hour_bucket",
        "hour >= ? AND hour < ?",
        bucket,
        s.fromUnit(),
        s.toUnit());
    select(
        bucketOf("hour", Level.HOUR.millis()),
        "toUInt64(0) AS n, sum(images) AS n_above",
        "events_by_hour_red",
        "bucket = ? AND red > ? AND hour >= ? AND hour < ?",
        bucket,
        thresholdUnits,
        s.fromUnit(),
        s.toUnit());
  }

  /** The bucket index of a row whose time column counts units of {@code unitMillis}. */
  private String bucketOf(String column, long unitMillis) {
    if (step == null) {
      return "toUInt64(0)";
    }
    return "toUInt64(intDiv(" + column + ", " + (step.millis() / unitMillis) + "))";
  }

  private void select(String key, String counts, String table, String where, Object... params) {
    if (union.length() > 0) {
      union.append(" UNION ALL ");
    }
    union
        .append("SELECT ")
        .append(key)
        .append(" AS k, ")
        .append(counts)
        .append(" FROM ")
        .append(table)
        .append(" WHERE ")
        .append(where);
    args.addAll(List.of(params));
    if (clientId != null) {
      union.append(" AND client_id = ?");
      args.add(clientId);
    }
    union.append(" GROUP BY k");
  }
}
