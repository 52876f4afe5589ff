package io.redstats.red.conflicts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import io.redstats.contract.event.StatEvent;
import io.redstats.red.TestImages;
import io.redstats.red.it.IngestStub;
import io.redstats.red.it.IngestStub.Answer;
import io.redstats.red.it.RedClient;
import io.redstats.red.it.RedClient.Reply;
import io.redstats.red.it.RedTestProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An image whose id ingest already holds with other content ends {@code conflict}: at once when
 * ingest answers 409 (final, not retried, no failover), and later when ingest lists it as the
 * refused side of a conflict it could not see in time.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "redstats.red.conflicts.poll-interval=100ms")
@DirtiesContext
class ConflictIT {

  private static final IngestStub INGEST = IngestStub.start();
  private static final IngestStub SECOND_INGEST = IngestStub.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    RedTestProperties.register(
        registry, "red_conflict_it", List.of(INGEST.url(), SECOND_INGEST.url()));
  }

  @AfterAll
  static void stopStubs() {
    INGEST.close();
    SECOND_INGEST.close();
  }

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  @Test
  void conflictAnswerIsFinalNotRetriedAndShownAsConflict() {
    // Given ingest answers the next post with 409: another image holds that id
    RedClient client = RedClient.forClient(port, 31);
    INGEST.script(Answer.conflict("red"));
    int before = INGEST.received().size();

    // When an image is uploaded
    Reply reply = client.upload(TestImages.uniquePng(31_001), "image/png");
    long id = reply.imageId();

    // Then its delivery ends conflict with ingest's error, after exactly one post
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.get(id).json().get("delivery_status").asString().equals("conflict"));
    Reply shown = client.get(id);
    assertThat(shown.json().get("last_error").asString()).startsWith("HTTP 409").contains("red");
    assertThat(shown.json().get("attempts").intValue()).isEqualTo(1);

    // And the next image is delivered normally, and the conflicting one was never re-sent
    long next = client.upload(TestImages.uniquePng(31_002), "image/png").imageId();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.get(next).json().get("delivery_status").asString().equals("delivered"));
    assertThat(postsOf(INGEST, id, before) + postsOf(SECOND_INGEST, id, 0)).isEqualTo(1);
  }

  @Test
  void watcherMarksRedsImageThatIngestRefusedAfterAccepting() {
    // Given two images delivered (202), while ingest has no conflict list yet (an older ingest)
    RedClient client = RedClient.forClient(port, 32);
    Reply lost = client.upload(TestImages.uniquePng(32_001), "image/png");
    Reply kept = client.upload(TestImages.uniquePng(32_002), "image/png");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                List.of(lost.imageId(), kept.imageId()).stream()
                    .allMatch(
                        id ->
                            client
                                .get(id)
                                .json()
                                .get("delivery_status")
                                .asString()
                                .equals("delivered")));
    int asked = INGEST.conflictsRequests().size();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> INGEST.conflictsRequests().size() > asked + 2);

    // When ingest lists conflicts: RED's first image refused in favour of another producer's,
    // and a refused image under RED's second id whose content is not RED's (RED's was kept)
    INGEST.conflictPages(
        Map.of(
            "",
            page("c1", conflict(kept.imageId(), foreign(kept.imageId()), refusedCopyOf(kept, 1))),
            "c1",
            page("c2", conflict(lost.imageId(), foreign(lost.imageId()), refusedCopyOf(lost, 0)))));

    // Then only the image whose id and content were refused is marked conflict
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client
                    .get(lost.imageId())
                    .json()
                    .get("delivery_status")
                    .asString()
                    .equals("conflict"));
    assertThat(client.get(kept.imageId()).json().get("delivery_status").asString())
        .isEqualTo("delivered");

    // And the cursor is kept in RED's database, and the watcher asks with a service token
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "c2".equals(cursor()) && lastAfter().equals("c2"));
    String authorization = INGEST.conflictsRequests().get(0).authorization();
    var token = JwtSupport.decoder(RedClient.SECRET).decode(authorization.substring(7));
    assertThat(JwtSupport.hasScope(token, Scopes.INGEST)).isTrue();
  }

  private String cursor() {
    return jdbc.sql("SELECT position FROM conflict_cursor")
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private static String lastAfter() {
    List<IngestStub.ConflictsRequest> requests = INGEST.conflictsRequests();
    String after = requests.get(requests.size() - 1).after();
    return after == null ? "" : after;
  }

  private static long postsOf(IngestStub stub, long id, int from) {
    List<IngestStub.Received> received = stub.received();
    return received.subList(Math.min(from, received.size()), received.size()).stream()
        .flatMap(r -> r.events().stream())
        .map(StatEvent::imageId)
        .filter(i -> i == id)
        .count();
  }

  private static String page(String next, String... conflicts) {
    return "{\"conflicts\":[" + String.join(",", conflicts) + "],\"next\":\"" + next + "\"}";
  }

  private static String conflict(long id, String kept, String refused) {
    return "{\"image_id\":"
        + id
        + ",\"kept\":"
        + kept
        + ",\"refused\":"
        + refused
        + ",\"detected_at\":1763900000999}";
  }

  private static String foreign(long id) {
    return event(id, 999, 1763900000123L, "0.5");
  }

  /** RED's image as ingest would list it, with its red changed by DELTA_UNITS (0: exact). */
  private static String refusedCopyOf(Reply image, int deltaUnits) {
    long units = image.json().get("red").decimalValue().movePointRight(5).longValueExact();
    return event(
        image.imageId(),
        image.json().get("client_id").longValue(),
        image.json().get("timestamp").longValue(),
        java.math.BigDecimal.valueOf(units + deltaUnits, 5).toPlainString());
  }

  private static String event(long id, long clientId, long timestamp, String red) {
    return "{\"image_id\":"
        + id
        + ",\"client_id\":"
        + clientId
        + ",\"timestamp\":"
        + timestamp
        + ",\"red\":"
        + red
        + "}";
  }
}
