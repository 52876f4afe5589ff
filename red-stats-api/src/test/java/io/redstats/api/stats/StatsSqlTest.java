package io.redstats.api.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.api.params.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsSqlTest {

  @Test
  void everyCallerValueIsAParameterNeverText() {
    // Given a plan over all levels for client 7 and threshold 0.85
    List<Segment> plan =
        List.of(
            new Segment(Level.RAW, 3_599_000L, 3_600_000L),
            new Segment(Level.HOUR, 3_600_000L, 7_200_000L),
            new Segment(Level.MINUTE, 7_200_000L, 7_260_000L));

    // When built
    StatsSql.Query q = StatsSql.build(plan, 85_000, 7L, null);

    // Then placeholders match the arguments, and no argument appears in the text
    assertThat(q.sql().chars().filter(c -> c == '?').count()).isEqualTo(q.args().size());
    assertThat(q.sql()).doesNotContain("85000").doesNotContain("3599");
    assertThat(q.args())
        .containsExactly(
            85,
            1L,
            2L,
            7L, // hour buckets
            85,
            85_000,
            1L,
            2L,
            7L, // hour, the threshold's bucket
            85_000,
            120L,
            121L,
            7L, // minutes
            85_000,
            3_599L,
            3_599L,
            3_599_000L,
            3_600_000L,
            7L); // raw
  }

  @Test
  void segmentsOfOneLevelShareOneSubSelect() {
    // Given raw edges on both sides of a run of minutes
    List<Segment> plan =
        List.of(
            new Segment(Level.RAW, 59_000L, 60_000L),
            new Segment(Level.MINUTE, 60_000L, 180_000L),
            new Segment(Level.RAW, 180_000L, 180_500L));

    // When built
    StatsSql.Query q = StatsSql.build(plan, 50_000, null, null);

    // Then the raw table is read once, for both ranges
    assertThat(q.sql().split("FROM events ", -1)).hasSize(2);
    assertThat(q.sql()).contains(") OR (");
    assertThat(q.sql().chars().filter(c -> c == '?').count()).isEqualTo(q.args().size());
  }

  @Test
  void rawOnlyPlanIsOnePlainSelect() {
    StatsSql.Query q = StatsSql.build(List.of(new Segment(Level.RAW, 1L, 2L)), 50_000, null, null);

    assertThat(q.sql())
        .startsWith("SELECT count() AS images, countIf(red > ?) AS above FROM events WHERE")
        .doesNotContain("UNION")
        .doesNotContain("GROUP BY");
    assertThat(q.keyed()).isFalse();
  }

  @Test
  void seriesGroupsEachLevelByTheStepInItsOwnUnits() {
    List<Segment> plan =
        List.of(
            new Segment(Level.RAW, 1L, 60_000L),
            new Segment(Level.MINUTE, 60_000L, 3_600_000L),
            new Segment(Level.HOUR, 3_600_000L, 7_200_000L));

    String sql = StatsSql.build(plan, 0, null, Step.ONE_HOUR).sql();

    assertThat(sql)
        .contains("intDiv(ts_ms, 3600000)")
        .contains("intDiv(minute, 60)")
        .contains("intDiv(hour, 1)")
        .doesNotContain("client_id = ?");
  }

  @Test
  void questionAboutEveryClientReadsTheHourTablesWithoutClientId() {
    List<Segment> plan = List.of(new Segment(Level.HOUR, 3_600_000L, 7_200_000L));

    String all = StatsSql.build(plan, 85_000, null, null).sql();
    String one = StatsSql.build(plan, 85_000, 7L, null).sql();

    assertThat(all).contains("events_all_by_hour_bucket", "events_all_by_hour_red");
    assertThat(one)
        .contains("FROM events_by_hour_bucket", "FROM events_by_hour_red")
        .doesNotContain("events_all_");
  }
}
