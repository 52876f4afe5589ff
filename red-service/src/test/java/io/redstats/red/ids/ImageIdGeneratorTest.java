package io.redstats.red.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ImageIdGeneratorTest {

  private static final long NOW = Instant.parse("2026-12-08T00:00:00Z").toEpochMilli();
  private static final long FAR = NOW + Duration.ofDays(1).toMillis();

  @Test
  void idsAreStrictlyIncreasingPositiveAndAbove2To53() {
    // Given a clock that moves one millisecond every 1000 reads (many ids share a millisecond)
    AtomicLong reads = new AtomicLong();
    ImageIdGenerator ids =
        new ImageIdGenerator(
            5, NOW - 1, FAR, () -> NOW + reads.getAndIncrement() / 1000, Duration.ZERO);

    // When 100 000 ids are drawn, then each is above the last, positive and above 2^53
    long last = 0;
    for (int i = 0; i < 100_000; i++) {
      long id = ids.next();
      assertThat(id).isGreaterThan(last).isGreaterThan(1L << 53);
      assertThat(ImageIdGenerator.nodeOf(id)).isEqualTo(5);
      last = id;
    }
    assertThat(ImageIdGenerator.epochMillisOf(last)).isBetween(NOW, NOW + 200);
  }

  @Test
  void sequenceUsedUpMovesToTheNextMillisecond() {
    // Given a clock that stays on one millisecond for 5000 reads
    AtomicLong reads = new AtomicLong();
    ImageIdGenerator ids =
        new ImageIdGenerator(
            0, NOW - 1, FAR, () -> NOW + reads.getAndIncrement() / 5000, Duration.ZERO);

    // When more ids are drawn than one millisecond holds, then none repeats
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 3 * (ImageIdGenerator.MAX_SEQUENCE + 1); i++) {
      assertThat(seen.add(ids.next())).isTrue();
    }
  }

  @Test
  void twoNodesOnTheSameClockNeverShareAnId() {
    ImageIdGenerator a = new ImageIdGenerator(1, NOW - 1, FAR, () -> NOW, Duration.ZERO);
    ImageIdGenerator b = new ImageIdGenerator(2, NOW - 1, FAR, () -> NOW, Duration.ZERO);

    Set<Long> seen = new HashSet<>();
    for (int i = 0; i <= ImageIdGenerator.MAX_SEQUENCE; i++) {
      assertThat(seen.add(a.next())).isTrue();
      assertThat(seen.add(b.next())).isTrue();
    }
  }

  @Test
  void idsStartAfterTheFloorAnEarlierHolderLeft() {
    // Given an earlier holder of node 3 used milliseconds up to NOW
    ImageIdGenerator earlier = new ImageIdGenerator(3, NOW - 1, FAR, () -> NOW, Duration.ZERO);
    long earlierId = earlier.next();

    // When a new holder starts with that floor and its clock at the same millisecond
    AtomicLong clock = new AtomicLong(NOW);
    ImageIdGenerator later = new ImageIdGenerator(3, NOW, FAR, clock::get, Duration.ofSeconds(1));
    clock.set(NOW + 1);

    // Then its first id is above the earlier holder's
    assertThat(later.next()).isGreaterThan(earlierId);
  }

  @Test
  void clockSteppingBackFarIsRefusedNotRepeated() {
    AtomicLong clock = new AtomicLong(NOW);
    ImageIdGenerator ids = new ImageIdGenerator(0, NOW - 1, FAR, clock::get, Duration.ofMillis(5));
    long first = ids.next();

    clock.set(NOW - 10_000);

    assertThatThrownBy(ids::next)
        .isInstanceOf(IdUnavailableException.class)
        .hasMessageContaining("stepped back");
    clock.set(NOW + 1);
    assertThat(ids.next()).isGreaterThan(first);
  }

  @Test
  void smallClockStepBackIsWaitedOut() {
    // Given a clock that stepped back 3 ms and then moves on as reads happen
    AtomicLong reads = new AtomicLong();
    AtomicLong base = new AtomicLong(NOW);
    ImageIdGenerator ids =
        new ImageIdGenerator(
            0, NOW - 1, FAR, () -> base.get() + reads.getAndIncrement(), Duration.ofSeconds(1));
    long first = ids.next();
    base.set(NOW - 3 - reads.get());

    // Then the next id still comes after the first
    assertThat(ids.next()).isGreaterThan(first);
  }

  @Test
  void noIdsPastTheLeaseAllowanceUntilItIsRenewed() {
    AtomicLong clock = new AtomicLong(NOW);
    ImageIdGenerator ids = new ImageIdGenerator(0, NOW - 1, NOW + 10, clock::get, Duration.ZERO);
    ids.next();

    clock.set(NOW + 11);
    assertThatThrownBy(ids::next).isInstanceOf(IdUnavailableException.class);

    ids.allowUntil(NOW + 20);
    assertThat(ids.next()).isPositive();
  }

  @Test
  void closedGeneratorIssuesNothingAndReportsItsLastMillisecond() {
    ImageIdGenerator ids = new ImageIdGenerator(0, NOW - 1, FAR, () -> NOW + 7, Duration.ZERO);
    ids.next();

    assertThat(ids.close()).isEqualTo(NOW + 7);
    assertThatThrownBy(ids::next).isInstanceOf(IdUnavailableException.class);
  }

  @Test
  void clockBeforeTheIdEraIsRefused() {
    ImageIdGenerator ids =
        new ImageIdGenerator(
            0, 0, FAR, () -> ImageIdGenerator.EPOCH + Duration.ofDays(1).toMillis(), Duration.ZERO);

    assertThatThrownBy(ids::next).isInstanceOf(IdUnavailableException.class);
  }
}
