package io.redstats.red.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.contract.event.StatEvent;
import io.redstats.red.TestImages;
import io.redstats.red.it.IngestStub;
import io.redstats.red.it.RedClient;
import io.redstats.red.it.RedClient.Reply;
import io.redstats.red.it.RedTestProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Uploads through real HTTP into a real PostgreSQL, delivered to a stub ingest. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "redstats.red.image.max-bytes=1MB")
@DirtiesContext
class ImageUploadIT {

  private static final IngestStub INGEST = IngestStub.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    RedTestProperties.register(registry, "red_upload_it", List.of(INGEST.url()));
  }

  @AfterAll
  static void stopStub() {
    INGEST.close();
  }

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  @Test
  void uploadedImageIsMeasuredStoredAndDelivered() {
    // Given a PNG whose left quarter is red
    RedClient client = RedClient.forClient(port, 7);

    // When it is uploaded
    Reply reply = client.upload(TestImages.png(40, 10, 10), "image/png");

    // Then RED answers with its id and exact red fraction, pending delivery
    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.imageId()).isGreaterThan(1L << 53);
    assertThat(reply.json().get("client_id").longValue()).isEqualTo(7);
    assertThat(reply.json().get("red").decimalValue()).isEqualByComparingTo("0.25");
    assertThat(reply.json().get("timestamp").longValue()).isPositive();
    assertThat(reply.json().get("delivery_status").asString()).isIn("pending", "delivered");

    // And ingest receives exactly that event, with the producer token
    long id = reply.imageId();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.get(id).json().get("delivery_status").asString().equals("delivered"));
    List<StatEvent> events = eventsFor(id);
    assertThat(events)
        .containsExactly(new StatEvent(id, 7, reply.json().get("timestamp").longValue(), 25_000));
    // signed by RED itself: a service token (scope ingest, no client_id) valid for minutes
    String authorization = INGEST.received().get(0).authorization();
    assertThat(authorization).startsWith("Bearer ");
    Jwt token = JwtSupport.decoder(RedClient.SECRET).decode(authorization.substring(7));
    assertThat(JwtSupport.hasScope(token, Scopes.INGEST)).isTrue();
    assertThat(JwtSupport.clientId(token)).isNull();
    assertThat(token.getExpiresAt()).isBefore(Instant.now().plus(Duration.ofMinutes(11)));
  }

  @Test
  void multipartUploadIsMeasuredLikeARawOne() {
    RedClient client = RedClient.forClient(port, 8);

    Reply reply = client.uploadMultipart(TestImages.png(10, 10, 5), "image");

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.json().get("red").decimalValue()).isEqualByComparingTo("0.5");
  }

  @Test
  void typeIsSniffedFromTheBytesNotTheHeader() {
    // Given a BMP declared as JPEG
    RedClient client = RedClient.forClient(port, 9);
    byte[] bmp = TestImages.encode(TestImages.redColumns(4, 4, 4), "bmp");

    Reply reply = client.upload(bmp, "image/jpeg");

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.json().get("format").asString()).isEqualTo("bmp");
    assertThat(reply.json().get("red").decimalValue()).isEqualByComparingTo("1");
  }

  @Test
  void badFilesAreRefusedClearlyAndNothingIsStoredOrDelivered() {
    // Given a client whose every upload is bad
    long clientId = 99;
    RedClient client = RedClient.forClient(port, clientId);
    byte[] png = TestImages.png(64, 64, 10);

    // When each is uploaded, Then each gets its own clear refusal naming the image
    assertRefused(client.upload("not an image".getBytes(), "image/png"), 415, "not a supported");
    assertRefused(
        client.upload(TestImages.truncated(png, png.length / 2), "image/png"),
        422,
        "truncated png");
    assertRefused(
        client.upload(TestImages.pngHeader(100_000, 100_000), "image/png"), 413, "100000×100000");
    assertRefused(client.upload(new byte[0], "image/png"), 400, "empty");
    assertRefused(client.upload(png, "text/plain"), 415, "text/plain");
    assertRefused(client.upload(new byte[1_500_000], "image/png"), 413, "larger than the limit");
    assertRefused(client.uploadMultipart(new byte[1_500_000], "image"), 413, "larger");
    assertRefused(client.uploadMultipart(png, "picture"), 400, "part named image");

    // And nothing of them is stored, and nothing is delivered
    assertThat(
            jdbc.sql("SELECT count(*) FROM images WHERE client_id = ?")
                .param(clientId)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(INGEST.acceptedEvents()).noneMatch(e -> e.clientId() == clientId);
  }

  @Test
  void repeatedIdempotencyKeyGivesTheSameImageDeliveredOnce() throws Exception {
    // Given an image uploaded with a key
    RedClient client = RedClient.forClient(port, 11);
    byte[] png = TestImages.png(20, 20, 3);
    Reply first = client.upload(png, "image/png", "upload-42");

    // When the same upload is repeated with the same key
    Reply second = client.upload(png, "image/png", "upload-42");

    // Then the repeat answers 200 with the same image and result
    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.imageId()).isEqualTo(first.imageId());
    assertThat(second.json().get("red")).isEqualTo(first.json().get("red"));
    assertThat(second.json().get("timestamp")).isEqualTo(first.json().get("timestamp"));

    // And it is delivered once
    await().atMost(Duration.ofSeconds(10)).until(() -> !eventsFor(first.imageId()).isEmpty());
    Thread.sleep(500);
    assertThat(eventsFor(first.imageId())).hasSize(1);
    assertThat(
            jdbc.sql("SELECT count(*) FROM images WHERE client_id = 11").query(Long.class).single())
        .isEqualTo(1);
  }

  @Test
  void theSameKeyFromAnotherClientIsAnotherImage() {
    byte[] png = TestImages.png(20, 20, 3);

    Reply a = RedClient.forClient(port, 21).upload(png, "image/png", "shared-key");
    Reply b = RedClient.forClient(port, 22).upload(png, "image/png", "shared-key");

    assertThat(a.status()).isEqualTo(201);
    assertThat(b.status()).isEqualTo(201);
    assertThat(b.imageId()).isNotEqualTo(a.imageId());
  }

  @Test
  void reusingAKeyForADifferentImageIsRefused() {
    RedClient client = RedClient.forClient(port, 12);
    client.upload(TestImages.png(20, 20, 3), "image/png", "reused");

    Reply reply = client.upload(TestImages.png(20, 20, 4), "image/png", "reused");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorField()).isEqualTo("Idempotency-Key");
  }

  @Test
  void uploadWithoutATokenIsUnauthorized() {
    Reply reply = RedClient.withToken(port, null).upload(TestImages.png(4, 4, 1), "image/png");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.errorMessage()).isEqualTo("a bearer token is required");
  }

  @Test
  void theErrorPageIsA404InTheJsonBodyAndHealthHidesDetails() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> error =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/error"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    java.net.http.HttpResponse<String> health =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(error.statusCode()).isEqualTo(404);
    assertThat(error.body()).isEqualTo("{\"errors\":[{\"message\":\"not found\"}]}");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).doesNotContain("components", "diskSpace");
  }

  @Test
  void tokenWithoutUploadScopeIsForbidden() {
    String queryToken =
        new TokenMinter(RedClient.SECRET)
            .mint("q", 7L, List.of(Scopes.QUERY), Duration.ofMinutes(5));

    Reply reply =
        RedClient.withToken(port, queryToken).upload(TestImages.png(4, 4, 1), "image/png");

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.errorMessage()).isEqualTo("the token lacks the scope this endpoint wants");
  }

  @Test
  void anotherClientsImageIsNotFound() {
    Reply mine = RedClient.forClient(port, 31).upload(TestImages.png(4, 4, 1), "image/png");

    Reply theirs = RedClient.forClient(port, 32).get(mine.imageId());

    assertThat(theirs.status()).isEqualTo(404);
    assertThat(RedClient.forClient(port, 31).get(mine.imageId()).status()).isEqualTo(200);
  }

  @Test
  void healthNeedsNoToken() throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("UP");
  }

  private static List<StatEvent> eventsFor(long imageId) {
    return INGEST.acceptedEvents().stream().filter(e -> e.imageId() == imageId).toList();
  }

  private static void assertRefused(Reply reply, int status, String messagePart) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.errorField()).isEqualTo("image");
    assertThat(reply.errorMessage()).contains(messagePart);
  }
}
