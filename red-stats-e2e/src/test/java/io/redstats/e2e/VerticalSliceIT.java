package io.redstats.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.contract.auth.Scopes;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The thin vertical slice through the whole system, every part real and in its own process: POST
 * /stats → Kafka → dedup → ClickHouse → GET /stats, and → notifier nodes behind nginx → a WebSocket
 * client.
 */
class VerticalSliceIT {

  @Test
  void oneEventIsCountedAndAlertsOnlyTheSubscriberBelowItsRed() throws Exception {
    // Given a client with two subscriptions through nginx: one below the image's red, one above
    Stack stack = Stack.get();
    long clientId = ThreadLocalRandom.current().nextLong(1_000, 1_000_000_000);
    long imageId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    String clientToken = stack.token(clientId, Scopes.SUBSCRIBE, Scopes.QUERY);
    try (AlertClient below = AlertClient.connect(stack.nginx.wsUrl("/alerts"), clientToken, 0.5);
        AlertClient above = AlertClient.connect(stack.nginx.wsUrl("/alerts"), clientToken, 0.95)) {
      // When RED posts one event with red 0.9
      long now = System.currentTimeMillis();
      String event =
          "{\"image_id\":"
              + imageId
              + ",\"client_id\":"
              + clientId
              + ",\"timestamp\":"
              + now
              + ",\"red\":0.9}";
      HttpResponse<String> posted =
          Http.post(
              stack.ingestUrl + "/stats",
              stack.token(null, Scopes.INGEST),
              "application/json",
              event.getBytes(UTF_8));
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

      // Then GET /stats counts it, above 0.5 and not above 0.95
      String range =
          stack.apiUrl
              + "/stats?from="
              + (now - 60_000)
              + "&to="
              + (now + 60_000)
              + "&client_id="
              + clientId;
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(Http.getJson(range + "&red=0.5", clientToken).path("images").asLong())
                      .isEqualTo(1));
      JsonNode atHalf = Http.getJson(range + "&red=0.5", clientToken);
      JsonNode atHigh = Http.getJson(range + "&red=0.95", clientToken);
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
}
