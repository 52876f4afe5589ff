package io.redstats.ingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.event.ImageConflict;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DedupTopologyTest {

  private static final Duration RETENTION = Duration.ofDays(7);
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  private final List<Long> duplicates = new ArrayList<>();
  private final List<Long> conflicts = new ArrayList<>();
  private TopologyTestDriver driver;
  private TestInputTopic<Long, StatEvent> raw;
  private TestOutputTopic<Long, StatEvent> canonical;
  private TestOutputTopic<Long, ImageConflict> conflictTopic;

  @BeforeEach
  void startDriver() {
    StreamsBuilder builder = new StreamsBuilder();
    DedupTopology.build(
        builder,
        RETENTION,
        new DedupListener() {
          @Override
          public void duplicate(long imageId) {
            duplicates.add(imageId);
          }

          @Override
          public void conflict(long imageId, StatEvent kept, StatEvent dropped) {
            conflicts.add(imageId);
          }
        });
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedup-test");
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(builder.build(), config, START);
    raw =
        driver.createInputTopic(
            Topics.RAW.name(),
            Topics.RAW.keySerde().serializer(),
            Topics.RAW.valueSerde().serializer());
    canonical =
        driver.createOutputTopic(
            Topics.CANONICAL.name(),
            Topics.CANONICAL.keySerde().deserializer(),
            Topics.CANONICAL.valueSerde().deserializer());
    conflictTopic =
        driver.createOutputTopic(
            Topics.CONFLICTS.name(),
            Topics.CONFLICTS.keySerde().deserializer(),
            Topics.CONFLICTS.valueSerde().deserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  private static StatEvent anEvent(long imageId, int redUnits) {
    return new StatEvent(imageId, 7, START.toEpochMilli(), redUnits);
  }

  @Test
  void firstEventOfAnImageIsForwardedWithItsRecordTimestamp() {
    // Given an event ingest accepted at a known time
    Instant acceptedAt = START.plusSeconds(5);

    // When it reaches the raw topic
    raw.pipeInput(new TestRecord<>(1L, anEvent(1, 85_000), acceptedAt));

    // Then the canonical topic has it, stamped with the same time
    TestRecord<Long, StatEvent> out = canonical.readRecord();
    assertThat(out.key()).isEqualTo(1L);
    assertThat(out.value()).isEqualTo(anEvent(1, 85_000));
    assertThat(out.getRecordTime()).isEqualTo(acceptedAt);
    assertThat(canonical.isEmpty()).isTrue();
  }

  @Test
  void exactRepeatIsDroppedAndCountedAsDuplicate() {
    // Given an image already seen
    raw.pipeInput(new TestRecord<>(2L, anEvent(2, 10_000), START));

    // When it arrives twice more
    raw.pipeInput(new TestRecord<>(2L, anEvent(2, 10_000), START.plusSeconds(1)));
    raw.pipeInput(new TestRecord<>(2L, anEvent(2, 10_000), START.plusSeconds(2)));

    // Then only the first reaches the canonical topic
    assertThat(canonical.readValuesToList()).containsExactly(anEvent(2, 10_000));
    assertThat(duplicates).containsExactly(2L, 2L);
    assertThat(conflicts).isEmpty();
  }

  @Test
  void repeatWithDifferentContentIsAConflictAndTheFirstIsKept() {
    // Given an image already seen with red 0.1
    raw.pipeInput(new TestRecord<>(3L, anEvent(3, 10_000), START));

    // When the same image_id arrives with red 0.9
    raw.pipeInput(new TestRecord<>(3L, anEvent(3, 90_000), START.plusSeconds(1)));

    // Then the first is the only canonical record, and a conflict is counted
    assertThat(canonical.readValuesToList()).containsExactly(anEvent(3, 10_000));
    assertThat(conflicts).containsExactly(3L);
    assertThat(duplicates).isEmpty();
  }

  @Test
  void conflictIsRecordedOnTheConflictsTopicWithBothEvents() {
    // Given an image already seen with red 0.1
    raw.pipeInput(new TestRecord<>(8L, anEvent(8, 10_000), START));

    // When the same image_id arrives with red 0.9, and later again identical to the first
    raw.pipeInput(new TestRecord<>(8L, anEvent(8, 90_000), START.plusSeconds(1)));
    raw.pipeInput(new TestRecord<>(8L, anEvent(8, 10_000), START.plusSeconds(2)));

    // Then one conflict names what was kept and what was refused; the retry adds none
    List<TestRecord<Long, ImageConflict>> recorded = conflictTopic.readRecordsToList();
    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).key()).isEqualTo(8L);
    assertThat(recorded.get(0).value().kept()).isEqualTo(anEvent(8, 10_000));
    assertThat(recorded.get(0).value().refused()).isEqualTo(anEvent(8, 90_000));
    assertThat(canonical.readValuesToList()).containsExactly(anEvent(8, 10_000));
  }

  @Test
  void firstEventsAndDuplicatesWriteNoConflict() {
    raw.pipeInput(new TestRecord<>(9L, anEvent(9, 1), START));
    raw.pipeInput(new TestRecord<>(9L, anEvent(9, 1), START));

    assertThat(conflictTopic.isEmpty()).isTrue();
  }

  @Test
  void differentImagesAreAllForwarded() {
    raw.pipeInput(new TestRecord<>(4L, anEvent(4, 1), START));
    raw.pipeInput(new TestRecord<>(5L, anEvent(5, 1), START));

    assertThat(canonical.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(4L, 5L);
  }

  @Test
  void imageIsForgottenAfterTheRetention() {
    // Given an image seen at the start
    raw.pipeInput(new TestRecord<>(6L, anEvent(6, 1), START));
    canonical.readRecord();

    // When more than the retention has passed and the sweep ran
    driver.advanceWallClockTime(RETENTION.plus(DedupTopology.PURGE_INTERVAL).plusSeconds(1));
    raw.pipeInput(new TestRecord<>(6L, anEvent(6, 1), START.plus(RETENTION).plusSeconds(60)));

    // Then the repeat passes as new
    assertThat(canonical.readValuesToList()).containsExactly(anEvent(6, 1));
  }

  @Test
  void imageIsRememberedWithinTheRetention() {
    raw.pipeInput(new TestRecord<>(7L, anEvent(7, 1), START));
    canonical.readRecord();

    driver.advanceWallClockTime(RETENTION.minusHours(1));
    raw.pipeInput(new TestRecord<>(7L, anEvent(7, 1), START.plus(RETENTION).minusSeconds(1_800)));

    assertThat(canonical.isEmpty()).isTrue();
    assertThat(duplicates).containsExactly(7L);
  }
}
