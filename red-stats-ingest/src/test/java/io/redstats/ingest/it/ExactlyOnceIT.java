package io.redstats.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.testsupport.Markers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The same image posted again and again is one row in ClickHouse and one canonical record. */
class ExactlyOnceIT extends IngestITSupport {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);

  /** Partitions of the raw and canonical topics (redstats.kafka.partitions, its default). */
  private static final int PARTITIONS = 6;

  @Test
  void imagePostedThreeTimesSeparatelyIsOneRowAndOneCanonicalRecord() throws Exception {
    // Given an image id
    long imageId = freshImageId();

    // When it is posted three times, one request each
    for (int i = 0; i < 3; i++) {
      assertThat(postJson(anEvent(imageId)).statusCode()).isEqualTo(202);
    }

    // Then it is stored once
    assertStoredOnce(Set.of(imageId));
  }

  @Test
  void imageRepeatedInsideAndAcrossBatchesIsOneRow() throws Exception {
    // Given two images
    long first = freshImageId();
    long second = first + 1;

    // When a batch repeats the first three times, and a second batch (NDJSON) repeats both
    HttpResponse<String> batch =
        postJson("[" + anEvent(first) + "," + anEvent(first) + "," + anEvent(first) + "]");
    HttpResponse<String> ndjson =
        post(
            "application/x-ndjson",
            anEvent(second) + "\n" + anEvent(first) + "\n" + anEvent(second) + "\n",
            ingestToken());

    // Then every event was acknowledged, and each image is stored once
    assertThat(batch.statusCode()).isEqualTo(202);
    assertThat(batch.body()).isEqualTo("{\"accepted\":3}");
    assertThat(ndjson.statusCode()).isEqualTo(202);
    assertStoredOnce(Set.of(first, second));
  }

  @Test
  void imagePostedConcurrentlyFromSeveralThreadsIsOneRow() throws Exception {
    // Given one image and eight clients
    long imageId = freshImageId();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      // When each posts it three times at once (single and batched)
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String body = i % 2 == 0 ? anEvent(imageId) : "[" + anEvent(imageId) + "]";
        statuses.add(clients.submit(() -> postJson(body).statusCode()));
      }
      for (Future<Integer> status : statuses) {
        assertThat(status.get()).isEqualTo(202);
      }
    } finally {
      clients.shutdown();
    }

    // Then it is stored once
    assertStoredOnce(Set.of(imageId));
  }

  @Test
  void conflictingRepeatKeepsTheFirstContent() throws Exception {
    // Given an image posted with red 0.25
    long imageId = freshImageId();
    assertThat(postJson(anEvent(imageId, "0.25")).statusCode()).isEqualTo(202);

    // When the same id comes again at once with red 0.75: refused (409) when the dedup already
    // holds the first, else accepted and dropped by the dedup as a recorded conflict
    assertThat(postJson(anEvent(imageId, "0.75")).statusCode()).isIn(202, 409);

    // Then one row, with the first red, either way
    assertStoredOnce(Set.of(imageId));
    assertThat(clickHouse().redOf(imageId)).isEqualTo(25_000);
  }

  @Test
  void rowHoldsTheEventItsKafkaPositionAndWhenItWasAccepted() {
    // Given an event with an ISO-8601 timestamp in another zone and more than five decimals
    long imageId = freshImageId();
    long before = System.currentTimeMillis();
    String body =
        "{\"image_id\":"
            + imageId
            + ",\"client_id\":42,\"timestamp\":\"2026-11-23T10:00:00.123+08:00\","
            + "\"red\":0.850005,\"note\":\"unknown fields are ignored\"}";

    // When it is posted
    assertThat(postJson(body).statusCode()).isEqualTo(202);
    long after = System.currentTimeMillis();

    // Then its row has the exact instant, red in units of 1/100000 and its Kafka coordinates
    ClickHouseRows rows = clickHouse();
    ClickHouseRows.await(() -> rows.countImage(imageId), n -> n == 1, ARRIVAL);
    var row = rows.row(imageId);
    long tsMs = java.time.Instant.parse("2026-11-23T02:00:00.123Z").toEpochMilli();
    assertThat(row.get("client_id")).isEqualTo(42);
    assertThat(row.get("ts_ms")).isEqualTo(tsMs);
    assertThat(row.get("ts_seconds")).isEqualTo(tsMs / 1000);
    assertThat(row.get("red")).isEqualTo(85_001);
    assertThat(row.get("kafka_partition")).isBetween(0L, 5L);
    assertThat(row.get("kafka_offset")).isNotNegative();
    assertThat(row.get("ingested_ms")).isBetween(before, after);
  }

  private static OptionalInt partitionOf(Map<String, Long> row) {
    Long partition = row.get("kafka_partition");
    return partition == null ? OptionalInt.empty() : OptionalInt.of(partition.intValue());
  }

  private void assertStoredOnce(Set<Long> imageIds) throws Exception {
    ClickHouseRows rows = clickHouse();
    for (long imageId : imageIds) {
      long stored = ClickHouseRows.await(() -> rows.countImage(imageId), n -> n >= 1, ARRIVAL);
      assertThat(stored).as("rows of image %d", imageId).isEqualTo(1);
    }
    // A repeat wrongly passed would be behind its first copy in the same partition (both topics
    // are keyed by image_id): once a marker posted now is visible in every partition, that repeat
    // would be visible too. Evidence, where a fixed sleep would only be a hope.
    Markers.awaitBehindEverything(
        PARTITIONS,
        IngestITSupport::freshImageId,
        id -> assertThat(postJson(anEvent(id)).statusCode()).as("marker").isEqualTo(202),
        id -> partitionOf(rows.row(id)),
        ARRIVAL);
    for (long imageId : imageIds) {
      assertThat(rows.countImage(imageId)).as("rows of image %d", imageId).isEqualTo(1);
    }
    assertThat(kafka().canonical(imageIds)).isEqualTo(imageIds.size());
  }
}
