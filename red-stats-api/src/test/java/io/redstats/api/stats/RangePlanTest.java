package io.redstats.api.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangePlanTest {

  private static final List<Level> ALL = List.of(Level.HOUR, Level.MINUTE, Level.RAW);
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 3_600_000L;

  @Test
  void unalignedRangeUsesHoursInsideMinutesAroundAndRawAtTheEdges() {
    // Given 09:59:30.5 to 12:01:10
    long from = 10 * HOUR - 29_500;
    long to = 12 * HOUR + MINUTE + 10_000;

    // When planned
    List<Segment> plan = RangePlan.plan(from, to, ALL);

    // Then
    assertThat(plan)
        .containsExactly(
            new Segment(Level.RAW, from, 10 * HOUR),
            new Segment(Level.HOUR, 10 * HOUR, 12 * HOUR),
            new Segment(Level.MINUTE, 12 * HOUR, 12 * HOUR + MINUTE),
            new Segment(Level.RAW, 12 * HOUR + MINUTE, to));
  }

  @Test
  void rangeInsideOneMinuteIsAllRaw() {
    assertThat(RangePlan.plan(1_000, 59_000, ALL))
        .containsExactly(new Segment(Level.RAW, 1_000, 59_000));
  }

  @Test
  void alignedHoursNeedNoOtherLevel() {
    assertThat(RangePlan.plan(HOUR, 3 * HOUR, ALL))
        .containsExactly(new Segment(Level.HOUR, HOUR, 3 * HOUR));
  }

  @Test
  void withoutRollupsEverythingIsRaw() {
    assertThat(RangePlan.plan(0, 5 * HOUR + 1, List.of(Level.RAW)))
        .containsExactly(new Segment(Level.RAW, 0, 5 * HOUR + 1));
  }

  @Test
  void segmentsAreDisjointOnTheirLevelsGridAndCoverTheRangeExactly() {
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      // Given any range within a few days
      long from = random.nextLong(0, 4 * 24 * HOUR);
      long to = from + 1 + random.nextLong(0, 3 * 24 * HOUR);

      // When planned
      List<Segment> plan = RangePlan.plan(from, to, ALL);

      // Then the segments tile [from, to) in order, each aligned to its level
      long at = from;
      for (Segment s : plan) {
        assertThat(s.fromMs()).isEqualTo(at);
        assertThat(s.toMs()).isGreaterThan(s.fromMs());
        assertThat(s.fromMs() % s.level().millis()).isZero();
        assertThat(s.toMs() % s.level().millis()).isZero();
        at = s.toMs();
      }
      assertThat(at).isEqualTo(to);
      assertThat(plan).hasSizeLessThanOrEqualTo(5);
    }
  }
}
