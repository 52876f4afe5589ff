package io.redstats.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.Nginx;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The thin vertical slice through the whole system, every part real and in its own process: POST
 * /stats → Kafka → dedup → ClickHouse → GET /stats, and → notifier nodes behind nginx → a WebSocket
 * client.
 */
class VerticalSliceIT {

  private static final String SECRET = "e2e-secret-of-at-least-thirty-two-bytes!!";
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(120);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final TokenMinter MINTER = new TokenMinter(SECRET);

  private static final List<AutoCloseable> STARTED = new ArrayList<>();
  private static String ingestUrl;
  private static String apiUrl;
  private static Nginx nginx;

  @BeforeAll
  static void startTheStack() throws Exception {
    RealServers servers = RealServers.shared();
    // A database that does not exist yet, as on a fresh server: ingest must create it.
    String clickhouse =
        servers
            .clickhouseJdbcUrl("default")
            .replace("/default?", "/e2e_" + Long.toUnsignedString(System.nanoTime(), 36) + "?");
    String postgres = servers.postgresJdbcUrl("e2e_notifier");

    Map<String, String> common = new HashMap<>();
    common.put("redstats.security.jwt-secret", SECRET);
    common.put("redstats.kafka.bootstrap-servers", servers.kafkaBootstrap());

    Map<String, String> ingestProps = new HashMap<>(common);
    int ingestPort = FreePorts.next();
    ingestUrl = "http://127.0.0.1:" + ingestPort;
    ingestProps.put("server.port", String.valueOf(ingestPort));
    ingestProps.put("redstats.clickhouse.url", clickhouse);
    ingestProps.put(
        "redstats.dedup.state-dir", Files.createTempDirectory("e2e-streams").toString());
    started(ServiceProcess.start("ingest", jar("red-stats-ingest"), ingestProps, HEALTH_TIMEOUT));

    List<Integer> notifierPorts = new ArrayList<>();
    for (int node = 1; node <= 2; node++) {
      Map<String, String> props = new HashMap<>(common);
      int port = FreePorts.next();
      notifierPorts.add(port);
      props.put("server.port", String.valueOf(port));
      props.put("spring.datasource.url", postgres);
      props.put("spring.datasource.username", servers.postgresUser());
      props.put("spring.datasource.password", servers.postgresPassword());
      props.put("redstats.notifier.node-id", "e2e-node-" + node);
      started(
          ServiceProcess.start(
              "notifier-" + node, jar("red-stats-notifier"), props, HEALTH_TIMEOUT));
    }
    nginx = started(servers.nginx(notifierPorts));

    Map<String, String> apiProps = new HashMap<>(common);
    int apiPort = FreePorts.next();
    apiUrl = "http://127.0.0.1:" + apiPort;
    apiProps.put("server.port", String.valueOf(apiPort));
    apiProps.put("redstats.clickhouse.url", clickhouse);
    started(ServiceProcess.start("api", jar("red-stats-api"), apiProps, HEALTH_TIMEOUT));
  }

  @AfterAll
  static void stopTheStack() throws Exception {
    for (int i = STARTED.size() - 1; i >= 0; i--) {
      STARTED.get(i).close();
    }
  }

  @Test
  void oneEventIsCountedAndAlertsOnlyTheSubscriberBelowItsRed() throws Exception {
    // Given a client with two subscriptions through nginx: one below the image's red, one above
    long clientId = ThreadLocalRandom.current().nextLong(1_000, 1_000_000_000);
    long imageId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    String clientToken =
        MINTER.mint(
            "client", clientId, List.of(Scopes.SUBSCRIBE, Scopes.QUERY), Duration.ofHours(1));
    try (AlertClient below = AlertClient.connect(nginx.wsUrl("/alerts"), clientToken, 0.5);
        AlertClient above = AlertClient.connect(nginx.wsUrl("/alerts"), clientToken, 0.95)) {
      // When RED posts one event with red 0.9
      long now = System.currentTimeMillis();
      HttpResponse<String> posted =
          post(
              ingestUrl + "/stats",
              MINTER.mint("red", null, List.of(Scopes.INGEST), Duration.ofHours(1)),
              "{\"image_id\":"
                  + imageId
                  + ",\"client_id\":"
                  + clientId
                  + ",\"timestamp\":"
                  + now
                  + ",\"red\":0.9}");
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

      // Then GET /stats counts it, above 0.5 and not above 0.95
      String range = "from=" + (now - 60_000) + "&to=" + (now + 60_000) + "&client_id=" + clientId;
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          get(apiUrl + "/stats?" + range + "&red=0.5", clientToken)
                              .path("images")
                              .asLong())
                      .isEqualTo(1));
      JsonNode atHalf = get(apiUrl + "/stats?" + range + "&red=0.5", clientToken);
      JsonNode atHigh = get(apiUrl + "/stats?" + range + "&red=0.95", clientToken);
      assertThat(atHalf.path("above").asLong()).isEqualTo(1);
      assertThat(atHigh.path("images").asLong()).isEqualTo(1);
      assertThat(atHigh.path("above").asLong()).isZero();

      // And the subscriber below 0.9 got exactly this alert, the one above got none
      await().atMost(Duration.ofSeconds(30)).until(() -> !below.alerts().isEmpty());
      assertThat(below.alertedImageIds()).containsExactly(imageId);
      assertThat(below.alerts().get(0).path("resume").asString()).isNotBlank();
      assertThat(above.alerts()).isEmpty();
    }
  }

  private static HttpResponse<String> post(String url, String token, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(String url, String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static <T extends AutoCloseable> T started(T process) {
    STARTED.add(process);
    return process;
  }

  /** The service's runnable jar, built by the reactor before this module's tests. */
  private static Path jar(String module) throws Exception {
    Path target =
        Path.of(System.getProperty("redstats.root", "..")).resolve(module).resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches(module + "-[0-9].*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException("no jar in " + target + "; run mvn package"));
    }
  }
}
