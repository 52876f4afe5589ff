package io.redstats.ingest.it;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.ingest.IngestApplication;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.RealServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ingest service on a port of its own against real Kafka and ClickHouse. Every IT class
 * extending this shares one application context (same configuration, so Spring caches it) and one
 * ClickHouse database: the topics are global, so a second context would run a second sink over the
 * same canonical topic for nothing. Tests stay apart by drawing their image ids from random ranges.
 */
@SpringBootTest(
    classes = IngestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
abstract class IngestITSupport {

  static final String SECRET = "integration-test-secret-at-least-32-bytes!";
  static final String DATABASE = "ingest_it";
  static final TokenMinter MINTER = new TokenMinter(SECRET);
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * A port of its own chosen up front rather than a random one, so the dedup can advertise it:
   * ingest processes started by tests join the same dedup group and ask this node about its ids.
   */
  static final int PORT = FreePorts.next();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) throws IOException {
    RealServers servers = RealServers.shared();
    Path stateDir = Files.createTempDirectory("ingest-it-dedup");
    registry.add("redstats.kafka.bootstrap-servers", servers::kafkaBootstrap);
    registry.add("redstats.clickhouse.url", () -> servers.clickhouseJdbcUrl(DATABASE));
    registry.add("redstats.security.jwt-secret", () -> SECRET);
    registry.add("redstats.dedup.state-dir", stateDir::toString);
    registry.add("server.port", () -> PORT);
    registry.add("redstats.dedup.advertised-host", () -> "127.0.0.1");
  }

  static String token(String... scopes) {
    return MINTER.mint("it", null, List.of(scopes), Duration.ofMinutes(30));
  }

  static String ingestToken() {
    return token(Scopes.INGEST);
  }

  /** An image id no other test uses: a random base far apart from any other test's. */
  static long freshImageId() {
    return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
  }

  HttpResponse<String> post(String contentType, String body, String token) {
    return post(contentType, body.getBytes(StandardCharsets.UTF_8), token);
  }

  /** Raw bytes, for bodies that are not valid UTF-8. */
  HttpResponse<String> post(String contentType, byte[] body, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  HttpResponse<String> postJson(String body) {
    return post("application/json", body, ingestToken());
  }

  HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String anEvent(long imageId) {
    return anEvent(imageId, "0.85");
  }

  /**
   * The timestamp of every {@link #anEvent}: one instant for the whole run, so posting the same
   * image again is an identical repeat (a retry), not a conflict.
   */
  static final long TIMESTAMP = System.currentTimeMillis();

  static String anEvent(long imageId, String red) {
    return "{\"image_id\":"
        + imageId
        + ",\"client_id\":7,\"timestamp\":"
        + TIMESTAMP
        + ",\"red\":"
        + red
        + "}";
  }

  ClickHouseRows clickHouse() {
    return new ClickHouseRows(RealServers.shared().clickhouseJdbcUrl(DATABASE));
  }

  static KafkaRecords kafka() {
    return new KafkaRecords(RealServers.shared().kafkaBootstrap());
  }
}
