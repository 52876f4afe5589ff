package io.redstats.ingest.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.event.StatEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchTest {

  private static SinkProperties properties(int rows, long span) {
    return new SinkProperties(
        true,
        List.of(),
        rows,
        Duration.ofHours(1),
        span,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        "test");
  }

  private static SinkRow aRow(int partition, long offset) {
    return new SinkRow(new StatEvent(offset + 1, 1, 1_763_900_000_000L, 1), partition, offset, 0);
  }

  @Test
  void batchOverflowsAtTheRowLimit() {
    Batch batch = new Batch(properties(2, 1_000));
    batch.add(aRow(0, 0));
    batch.add(aRow(1, 0));

    assertThat(batch.wouldOverflow(2, 0)).isTrue();
    assertThat(batch.isDue()).isTrue();
  }

  @Test
  void batchNeverSpansMoreOffsetsOfOnePartitionThanTheResumeWindow() {
    // Given a batch that starts at offset 100 of partition 0 and a span of 10
    Batch batch = new Batch(properties(1_000, 10));
    batch.add(aRow(0, 100));

    // Then offset 109 still fits, 110 does not, and another partition is independent
    assertThat(batch.wouldOverflow(0, 109)).isFalse();
    assertThat(batch.wouldOverflow(0, 110)).isTrue();
    assertThat(batch.wouldOverflow(1, 5_000)).isFalse();
  }

  @Test
  void emptyBatchIsNeverDue() {
    Batch batch = new Batch(properties(1, 1));
    assertThat(batch.isDue()).isFalse();
  }

  @Test
  void resumeSkipsOnlyOffsetsClickHouseHolds() {
    // Given ClickHouse holds offsets 8 and 10 of partition 0 (9 was lost in a partial insert)
    ResumePoint resume = new ResumePoint(Map.of(0, 1L), Map.of(0, 10L), Map.of(0, Set.of(8L, 10L)));

    // Then 8 and 10 are skipped, 9 and everything after 10 is written
    assertThat(resume.alreadyStored(0, 8)).isTrue();
    assertThat(resume.alreadyStored(0, 9)).isFalse();
    assertThat(resume.alreadyStored(0, 10)).isTrue();
    assertThat(resume.alreadyStored(0, 11)).isFalse();
    assertThat(resume.alreadyStored(1, 8)).isFalse();
  }
}
