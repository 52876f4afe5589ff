package io.redstats.api.stats;

import io.redstats.api.errors.StatsUnavailableException;
import io.redstats.api.params.SeriesQuery;
import io.redstats.api.params.StatsQuery;
import io.redstats.api.params.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Counts from ClickHouse. Error policy: nothing is retried here (the caller gets a 503 with
 * Retry-After at once and decides), because a retry inside a request only makes an overloaded
 * server busier and the request slower.
 */
@Repository
class ClickHouseStats {

  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseStats.class);

  private static final List<Level> ALL_LEVELS = List.of(Level.HOUR, Level.MINUTE, Level.RAW);
  private static final List<Level> RAW_ONLY = List.of(Level.RAW);

  private final JdbcTemplate jdbc;
  private final boolean rollups;
  private final long rawBelowMs;

  ClickHouseStats(JdbcTemplate clickHouseJdbc, QueryProperties properties) {
    this.jdbc = clickHouseJdbc;
    this.rollups = properties.rollups();
    this.rawBelowMs = properties.rawBelow().toMillis();
  }

  Counts count(StatsQuery q) {
    List<Segment> plan = RangePlan.plan(q.fromMs(), q.toMs(), levels(q, null));
    return run(StatsSql.build(plan, q.thresholdUnits(), q.clientId(), null))
        .getOrDefault(0L, Counts.ZERO);
  }

  /** Every bucket from the first to the last, empty ones as zeros. */
  List<Bucket> series(SeriesQuery q) {
    StatsQuery r = q.range();
    List<Segment> plan = RangePlan.plan(r.fromMs(), r.toMs(), levels(r, q.step()));
    Map<Long, Counts> found = run(StatsSql.build(plan, r.thresholdUnits(), r.clientId(), q.step()));
    List<Bucket> buckets = new ArrayList<>((int) q.bucketCount());
    for (long k = q.firstBucket(); k <= q.lastBucket(); k++) {
      Counts c = found.getOrDefault(k, Counts.ZERO);
      buckets.add(new Bucket(k * q.step().millis(), c.images(), c.above()));
    }
    return buckets;
  }

  /** The levels whose unit divides the step, so no rollup row straddles two buckets. */
  private List<Level> levels(StatsQuery q, Step step) {
    if (!rollups || q.toMs() - q.fromMs() < rawBelowMs) {
      return RAW_ONLY;
    }
    if (step == null) {
      return ALL_LEVELS;
    }
    return ALL_LEVELS.stream().filter(l -> step.millis() % l.millis() == 0).toList();
  }

  private Map<Long, Counts> run(StatsSql.Query query) {
    LOG.debug("{} with {}", query.sql(), query.args());
    Map<Long, Counts> byBucket = new LinkedHashMap<>();
    try {
      jdbc.query(
          query.sql(),
          rs -> {
            long k = query.keyed() ? rs.getLong("k") : 0L;
            byBucket.put(k, new Counts(rs.getLong("images"), rs.getLong("above")));
          },
          query.args().toArray());
    } catch (DataAccessException e) {
      throw new StatsUnavailableException("ClickHouse query failed: " + e.getMessage(), e);
    }
    return byBucket;
  }
}
