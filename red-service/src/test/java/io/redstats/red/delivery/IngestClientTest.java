package io.redstats.red.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.red.outbox.DeliveryStatus;
import io.redstats.red.outbox.ImageRecord;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestClientTest {

  @Test
  void oneEventIsSentAsAnObjectAndSeveralAsAnArray() {
    ImageRecord first = row(1, 12_345);
    ImageRecord second = row(2, 100_000);

    assertThat(new String(IngestClient.body(List.of(first)), StandardCharsets.UTF_8))
        .isEqualTo("{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.12345}");
    assertThat(new String(IngestClient.body(List.of(first, second)), StandardCharsets.UTF_8))
        .startsWith("[{\"image_id\":1,")
        .contains("},{\"image_id\":2,")
        .endsWith("\"red\":1.00000}]");
  }

  @Test
  void statsPathIsAppendedToTheBaseUrl() {
    assertThat(IngestClient.statsUri(URI.create("http://h:8081")))
        .isEqualTo(URI.create("http://h:8081/stats"));
    assertThat(IngestClient.statsUri(URI.create("http://h/ingest/")))
        .isEqualTo(URI.create("http://h/ingest/stats"));
  }

  @Test
  void answersAreClassifiedByStatus() throws Exception {
    assertThat(classify(202, null)).isInstanceOf(Outcome.Accepted.class);
    assertThat(classify(400, null)).isInstanceOf(Outcome.Rejected.class);
    assertThat(classify(422, null)).isInstanceOf(Outcome.Rejected.class);
    assertThat(classify(409, null)).isEqualTo(new Outcome.Conflict("HTTP 409 {}"));
    assertThat(classify(503, "4"))
        .isEqualTo(new Outcome.Retry("HTTP 503 {}", Duration.ofSeconds(4)));
    assertThat(classify(500, null)).isInstanceOf(Outcome.Retry.class);
    assertThat(classify(401, null)).isInstanceOf(Outcome.Retry.class);
  }

  @Test
  void rejectionKeepsIngestsErrorBody() throws Exception {
    Outcome outcome =
        IngestClient.classify(
            400,
            null,
            new ByteArrayInputStream(
                "{\"errors\":[{\"field\":\"red\"}]}".getBytes(StandardCharsets.UTF_8)));

    assertThat(((Outcome.Rejected) outcome).error())
        .contains("\"field\":\"red\"")
        .startsWith("HTTP 400");
  }

  private static Outcome classify(int status, String retryAfter) throws Exception {
    return IngestClient.classify(
        status, retryAfter, new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)));
  }

  private static ImageRecord row(long id, int red) {
    return new ImageRecord(
        id,
        7,
        Instant.ofEpochMilli(1763900000123L),
        red,
        "png",
        1,
        1,
        new byte[32],
        null,
        DeliveryStatus.PENDING,
        0,
        null,
        null);
  }
}
