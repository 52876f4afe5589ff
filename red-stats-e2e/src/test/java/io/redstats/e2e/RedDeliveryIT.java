package io.redstats.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.contract.auth.Scopes;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Promise 1 from RED's side: an image RED accepted reaches ClickHouse exactly once, even when
 * ingest is down for part of the uploads.
 */
class RedDeliveryIT {

  private static final int BEFORE_OUTAGE = 300;
  private static final int DURING_OUTAGE = 400;
  private static final int AFTER_OUTAGE = 300;
  private static final int UPLOADERS = 4;

  @Test
  void everyUploadIsCountedOnceAcrossAnIngestOutage() throws Exception {
    // Given a client uploading through RED
    Stack stack = Stack.get();
    long clientId = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
    String token = stack.token(clientId, Scopes.UPLOAD, Scopes.QUERY);
    List<Long> imageIds = new ArrayList<>();
    int[] expectedAboveHalf = {0};

    // When some uploads happen before, some while ingest is stopped, and some after it restarted
    imageIds.addAll(upload(stack, token, 0, BEFORE_OUTAGE, expectedAboveHalf));
    stack.ingest().stop();
    imageIds.addAll(upload(stack, token, BEFORE_OUTAGE, DURING_OUTAGE, expectedAboveHalf));
    stack.restartIngest();
    imageIds.addAll(
        upload(stack, token, BEFORE_OUTAGE + DURING_OUTAGE, AFTER_OUTAGE, expectedAboveHalf));
    int total = BEFORE_OUTAGE + DURING_OUTAGE + AFTER_OUTAGE;
    assertThat(imageIds).doesNotHaveDuplicates().hasSize(total);

    // Then ClickHouse holds each of them exactly once
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> assertThat(stack.countInClickHouse("client_id = " + clientId)).isEqualTo(total));
    assertThat(stack.countInClickHouse("client_id = " + clientId + " AND red > 50000"))
        .isEqualTo(expectedAboveHalf[0]);
    // And the images accepted during the outage reached ingest in the order RED accepted them
    List<Long> duringOutage = imageIds.subList(BEFORE_OUTAGE, BEFORE_OUTAGE + DURING_OUTAGE);
    assertThat(
            stack.ingestTimesByImageId(
                clientId, Collections.min(duringOutage), Collections.max(duringOutage)))
        .hasSize(DURING_OUTAGE)
        .isSorted();
    // And the query API agrees, and RED reports every delivery done
    long now = System.currentTimeMillis();
    var stats =
        Http.getJson(
            stack.apiUrl + "/stats?from=0&to=" + (now + 60_000) + "&red=0.5&client_id=" + clientId,
            token);
    assertThat(stats.path("images").asLong()).isEqualTo(total);
    assertThat(stats.path("above").asLong()).isEqualTo(expectedAboveHalf[0]);
    for (long id :
        List.of(imageIds.get(0), imageIds.get(BEFORE_OUTAGE + 1), imageIds.get(total - 1))) {
      assertThat(
              Http.getJson(stack.redUrl + "/images/" + id, token)
                  .path("delivery_status")
                  .asString())
          .isEqualTo("delivered");
    }
  }

  /** Uploads {@code count} images whose red fraction is (i % 101) / 100; returns their ids. */
  private static List<Long> upload(Stack stack, String token, int first, int count, int[] aboveHalf)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(UPLOADERS);
    try {
      List<Future<Long>> ids = new ArrayList<>();
      for (int i = first; i < first + count; i++) {
        int redPixels = i % 101;
        if (redPixels > 50) {
          aboveHalf[0]++;
        }
        byte[] png = Images.png(redPixels);
        ids.add(
            pool.submit(
                () -> {
                  HttpResponse<String> response =
                      Http.post(stack.redUrl + "/images", token, "image/png", png);
                  assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                  return Http.JSON.readTree(response.body()).path("image_id").asLong();
                }));
      }
      List<Long> result = new ArrayList<>();
      for (Future<Long> id : ids) {
        result.add(id.get());
      }
      return result;
    } finally {
      pool.shutdownNow();
    }
  }
}
