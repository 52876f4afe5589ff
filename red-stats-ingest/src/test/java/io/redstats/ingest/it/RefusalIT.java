package io.redstats.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Each kind of bad input gets its status and a message naming what is wrong, and nothing of it is
 * stored: no raw record, no canonical record, no row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalIT extends IngestITSupport {

  private final Set<Long> refusedIds = new HashSet<>();

  private long refusedId() {
    long id = freshImageId();
    refusedIds.add(id);
    return id;
  }

  private static String event(long imageId, String clientId, String timestamp, String red) {
    return "{\"image_id\":"
        + imageId
        + ",\"client_id\":"
        + clientId
        + ",\"timestamp\":"
        + timestamp
        + ",\"red\":"
        + red
        + "}";
  }

  private static String now() {
    return Long.toString(System.currentTimeMillis());
  }

  @Test
  void missingFieldsAreAllNamed() {
    HttpResponse<String> response = postJson("{\"image_id\":" + refusedId() + "}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("{\"field\":\"client_id\",\"message\":\"is required\"}")
        .contains("{\"field\":\"timestamp\",\"message\":\"is required\"}")
        .contains("{\"field\":\"red\",\"message\":\"is required\"}");
  }

  @Test
  void nonPositiveIdsAreRefused() {
    HttpResponse<String> response = postJson(event(refusedId(), "-3", now(), "0.5"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("\"field\":\"client_id\",\"message\":\"must be a positive 64-bit integer\"");
  }

  @Test
  void timestampWithoutOffsetIsRefused() {
    HttpResponse<String> response =
        postJson(event(refusedId(), "7", "\"2026-11-23T10:00:00\"", "0.5"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"field\":\"timestamp\"").contains("with an offset");
  }

  @Test
  void absurdTimestampsAreRefused() {
    HttpResponse<String> old = postJson(event(refusedId(), "7", "946684799999", "0.5"));
    String future = Long.toString(Instant.now().plus(Duration.ofDays(30)).toEpochMilli());
    HttpResponse<String> ahead = postJson(event(refusedId(), "7", future, "0.5"));

    assertThat(old.statusCode()).isEqualTo(400);
    assertThat(old.body()).contains("must not be before 2000-01-01T00:00:00Z");
    assertThat(ahead.statusCode()).isEqualTo(400);
    assertThat(ahead.body()).contains("in the future");
  }

  @Test
  void redOutsideZeroToOneIsRefused() {
    HttpResponse<String> response = postJson(event(refusedId(), "7", now(), "1.5"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("{\"field\":\"red\",\"message\":\"must be between 0 and 1\"}");
  }

  @Test
  void batchWithOneBadItemIsRefusedWholeNamingTheItem() {
    // Given a batch whose third item has no red
    String body =
        "["
            + event(refusedId(), "7", now(), "0.5")
            + ","
            + event(refusedId(), "7", now(), "0.5")
            + ",{\"image_id\":"
            + refusedId()
            + ",\"client_id\":7,\"timestamp\":"
            + now()
            + "}]";

    // When it is posted
    HttpResponse<String> response = postJson(body);

    // Then it is refused, naming index 2, and the good items are not stored either (checked after
    // all)
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo("{\"errors\":[{\"index\":2,\"field\":\"red\",\"message\":\"is required\"}]}");
  }

  @Test
  void malformedJsonNamesWhereItBroke() {
    HttpResponse<String> response =
        postJson("[" + event(refusedId(), "7", now(), "0.5") + ",\n{\"image_id\": }]");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("malformed JSON at line 2, column");
  }

  @Test
  void wrongContentTypeIs415() {
    HttpResponse<String> response =
        post("text/plain", event(refusedId(), "7", now(), "0.5"), ingestToken());

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.body()).contains("Content-Type must be application/json");
  }

  @Test
  void multipartIs415EvenWithoutBoundary() {
    // Given a good event sent as multipart, once with no boundary (unparseable as multipart)
    for (String type : List.of("multipart/form-data", "multipart/form-data; boundary=xyz")) {
      HttpResponse<String> response =
          post(type, event(refusedId(), "7", now(), "0.5"), ingestToken());

      // Then it is refused like any other wrong Content-Type
      assertThat(response.statusCode()).as(type).isEqualTo(415);
      assertThat(response.body())
          .as(type)
          .startsWith("{\"errors\":[{\"message\":\"Content-Type must be application/json");
    }
  }

  @Test
  void invalidUtf8InAnIgnoredFieldIsRefused() {
    // Given valid events whose unknown field holds an overlong "/", a surrogate, or a code point
    // beyond U+10FFFF: not UTF-8, so not JSON
    for (String hex : List.of("c0af", "eda080", "f4908080")) {
      String json = event(refusedId(), "7", now(), "0.5").replace("{", "{\"note\":\"@\",");
      byte[] body = splice(json, HexFormat.of().parseHex(hex));
      int at = json.indexOf('@');

      HttpResponse<String> asJson = post("application/json", body, ingestToken());
      HttpResponse<String> asNdjson = post("application/x-ndjson", body, ingestToken());

      assertThat(asJson.statusCode()).as(hex).isEqualTo(400);
      assertThat(asJson.body()).as(hex).contains("the body is not valid UTF-8 at byte " + at);
      assertThat(asNdjson.statusCode()).as(hex).isEqualTo(400);
      assertThat(asNdjson.body()).as(hex).contains("the body is not valid UTF-8 at byte " + at);
    }
  }

  /** The UTF-8 bytes of {@code template} with its one {@code @} replaced by {@code bytes}. */
  private static byte[] splice(String template, byte[] bytes) {
    int at = template.indexOf('@');
    byte[] before = template.substring(0, at).getBytes(StandardCharsets.UTF_8);
    byte[] after = template.substring(at + 1).getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[before.length + bytes.length + after.length];
    System.arraycopy(before, 0, body, 0, before.length);
    System.arraycopy(bytes, 0, body, before.length, bytes.length);
    System.arraycopy(after, 0, body, before.length + bytes.length, after.length);
    return body;
  }

  @Test
  void batchOverTheLimitIs413() {
    StringBuilder body = new StringBuilder("[");
    long base = refusedId();
    for (int i = 0; i <= 10_000; i++) {
      body.append(i == 0 ? "" : ",").append(event(base, "7", now(), "0.5"));
    }
    HttpResponse<String> response = postJson(body.append("]").toString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("at most 10000 events");
  }

  @AfterAll
  void nothingRefusedWasStored() throws InterruptedException {
    // Given a good event posted after every refused one, and seen in ClickHouse
    long marker = freshImageId();
    assertThat(postJson(anEvent(marker)).statusCode()).isEqualTo(202);
    ClickHouseRows rows = clickHouse();
    ClickHouseRows.await(() -> rows.countImage(marker), n -> n == 1, Duration.ofSeconds(30));
    Thread.sleep(1_000);

    // Then no refused id reached Kafka or ClickHouse
    assertThat(kafka().raw(refusedIds)).isZero();
    assertThat(kafka().canonical(refusedIds)).isZero();
    for (long id : refusedIds) {
      assertThat(rows.countImage(id)).as("rows of refused image %d", id).isZero();
    }
  }
}
