package io.redstats.api.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.api.ApiTestSupport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Promises 3 and 6 at the HTTP boundary: clear 400s naming the parameter, and token scoping. */
class StatsAccessIT extends ApiTestSupport {

  /** This class's rows live in 2022; clients 201 and 202 are its own. */
  private static final long T0 = Instant.parse("2022-06-01T12:00:00Z").toEpochMilli();

  private static final long CLIENT_A = 201;
  private static final long CLIENT_B = 202;
  private static final String RANGE = "from=" + T0 + "&to=" + (T0 + 60_000) + "&red=0.85";

  @BeforeAll
  static void twoClientsWithImages() {
    insert(
        List.of(
            new Event(9_000_001, CLIENT_A, T0 + 1, 85_001),
            new Event(9_000_002, CLIENT_A, T0 + 2, 85_000),
            new Event(9_000_003, CLIENT_B, T0 + 3, 90_000)));
  }

  @Test
  void eachBadParameterIsRefusedWith400NamingIt() {
    Map<String, String> badQueries =
        Map.of(
            "from", "/stats?from=yesterday&to=" + T0 + "&red=0.5",
            "to", "/stats?from=" + T0 + "&to=2022-06-01T12:00:00&red=0.5",
            "red", "/stats?from=" + T0 + "&to=" + (T0 + 1) + "&red=1.5",
            "client_id", "/stats?" + RANGE + "&client_id=-1",
            "step", "/stats/series?" + RANGE + "&step=7m");
    badQueries.forEach(
        (field, query) -> {
          Answer answer = get(query, adminToken());

          assertThat(answer.status()).as(query).isEqualTo(400);
          assertThat(fields(answer.body())).as(query).containsExactly(field);
        });
  }

  @Test
  void anAcceptWithoutJsonIs406InJsonWhetherTheParametersAreGoodOrBad() {
    for (String query :
        List.of(
            "/stats?" + RANGE,
            "/stats?from=" + T0 + "&to=" + (T0 + 1) + "&red=2",
            "/stats/series?" + RANGE + "&step=1m",
            "/stats/series?" + RANGE + "&step=7m")) {
      Answer answer = get(query, adminToken(), "image/png");

      assertThat(answer.status()).as(query).isEqualTo(406);
      assertThat(answer.raw().headers().firstValue("Content-Type"))
          .as(query)
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
      assertThat(answer.body().path("errors").get(0).path("message").asString())
          .as(query)
          .contains("application/json");
    }
  }

  @Test
  void anAcceptThatAllowsJsonAmongOthersGetsTheAnswerOrThe400() {
    Answer ok = get("/stats?" + RANGE, adminToken(), "text/html,*/*;q=0.8");
    Answer bad = get("/stats?from=" + T0 + "&to=" + (T0 + 1) + "&red=2", adminToken(), "*/*");

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body().path("images").asLong()).isEqualTo(3);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(fields(bad.body())).containsExactly("red");
  }

  @Test
  void aNumberFollowedByUnicodeWhitespaceIsRefusedNamingIt() {
    Answer answer = get("/stats?" + RANGE.replace("red=0.85", "red=0.5%E2%80%A8"), adminToken());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(fields(answer.body())).containsExactly("red");
  }

  @Test
  void aParameterThatIsNotUtf8Is400InTheErrorFormat() {
    Answer answer = get("/stats?" + RANGE + "&client_id=7%C3%28", adminToken());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().path("errors").get(0).path("message").asString()).contains("UTF-8");
  }

  @Test
  void reversedRangeIsRefusedNamingTo() {
    Answer answer = get("/stats?from=" + (T0 + 1) + "&to=" + T0 + "&red=0.5", adminToken());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(fields(answer.body())).containsExactly("to");
  }

  @Test
  void seriesWithTooManyBucketsIsRefusedNamingStep() {
    long thirtyDays = 30L * 86_400_000L;
    Answer answer = get("/stats/series?from=0&to=" + thirtyDays + "&step=1m&red=0.5", adminToken());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(fields(answer.body())).containsExactly("step");
  }

  @Test
  void requestWithoutTokenIs401() {
    Answer answer = get("/stats?" + RANGE, null);

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.raw().headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer").doesNotContain("error="));
    assertThat(message(answer)).isEqualTo("a bearer token is required");
  }

  @Test
  void tokenSignedWithAnotherSecretIs401() {
    String forged =
        new io.redstats.contract.auth.TokenMinter("some-other-secret-0123456789abcdefgh")
            .mint("x", CLIENT_A, List.of("query"), java.time.Duration.ofMinutes(5));

    Answer answer = get("/stats?" + RANGE, forged);

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.raw().headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"invalid_token\""));
    assertThat(message(answer)).startsWith("a valid bearer token is required: ");
  }

  @Test
  void tokenWithoutQueryScopeIs403() {
    Answer answer = get("/stats?" + RANGE, token(CLIENT_A, "subscribe", "ingest"));

    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.raw().headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"insufficient_scope\""));
    assertThat(message(answer))
        .isEqualTo("this token lacks the scope for this endpoint (query or admin)");
  }

  @Test
  void clientTokenCountsOnlyItsOwnImages() {
    // When client A asks without naming a client
    Answer answer = get("/stats?" + RANGE, token(CLIENT_A, "query"));

    // Then it gets its own two images, one strictly above 0.85
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().get("client_id").asLong()).isEqualTo(CLIENT_A);
    assertThat(answer.body().get("images").asLong()).isEqualTo(2);
    assertThat(answer.body().get("above").asLong()).isEqualTo(1);
  }

  @Test
  void clientTokenAskingForAnotherClientIs403() {
    Answer answer = get("/stats?" + RANGE + "&client_id=" + CLIENT_B, token(CLIENT_A, "query"));

    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.body().get("errors")).isNotEmpty();
  }

  @Test
  void adminTokenCountsEveryClient() {
    Answer answer = get("/stats?" + RANGE, adminToken());

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().has("client_id")).isFalse();
    assertThat(answer.body().get("images").asLong()).isEqualTo(3);
    assertThat(answer.body().get("above").asLong()).isEqualTo(2);
  }

  @Test
  void tokenOverItsRateLimitGets429WithRetryAfter() {
    // Given one token asking faster than its budget refills
    String token = token(CLIENT_A, "query");
    List<Integer> statuses = new ArrayList<>();
    Answer limited = null;
    for (int i = 0; i < RATE_LIMIT_BURST * 3 && limited == null; i++) {
      Answer answer = get("/stats?" + RANGE, token);
      statuses.add(answer.status());
      if (answer.status() == 429) {
        limited = answer;
      }
    }

    // Then it is told to wait, and for how long
    assertThat(limited).as("statuses %s", statuses).isNotNull();
    assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
    assertThat(limited.body().get("errors")).isNotEmpty();
    // And another token is not affected
    assertThat(get("/stats?" + RANGE, token(CLIENT_A, "query")).status()).isEqualTo(200);
  }

  @Test
  void healthNeedsNoToken() {
    assertThat(get("/actuator/health", null).status()).isEqualTo(200);
  }

  @Test
  void openApiDocumentDescribesTheEndpoints() {
    Answer answer = get("/v3/api-docs", null);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().get("paths").has("/stats")).isTrue();
    assertThat(answer.body().get("paths").has("/stats/series")).isTrue();
    assertThat(answer.body().at("/components/securitySchemes/bearer/scheme").asString())
        .isEqualTo("bearer");
  }

  @Test
  void errorPageAndHealthAnswerJsonWithoutDetails() {
    Answer error = get("/error", token(CLIENT_A, "query"));
    Answer health = get("/actuator/health", null);

    assertThat(error.status()).isEqualTo(404);
    assertThat(message(error)).isEqualTo("not found");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().has("components")).isFalse();
  }

  private static String message(Answer answer) {
    assertThat(answer.body().get("errors")).hasSize(1);
    return answer.body().get("errors").get(0).get("message").asString();
  }

  private static List<String> fields(JsonNode body) {
    List<String> fields = new ArrayList<>();
    body.get("errors").forEach(e -> fields.add(e.get("field").asString()));
    return fields;
  }
}
