package io.redstats.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenClaims;
import io.redstats.contract.auth.TokenMinter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Nobody without a key: every refusal is 401/403 with a JSON body, and nothing is stored. */
class AuthIT extends IngestITSupport {

  @Test
  void noTokenIs401() {
    long id = freshImageId();
    HttpResponse<String> response = post("application/json", anEvent(id), null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body())
        .isEqualTo("{\"errors\":[{\"message\":\"a bearer token is required\"}]}");
    assertThat(kafka().raw(Set.of(id))).isZero();
  }

  @Test
  void tokenWithoutIngestScopeIs403() {
    long id = freshImageId();
    HttpResponse<String> response =
        post("application/json", anEvent(id), token(Scopes.QUERY, Scopes.SUBSCRIBE));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"insufficient_scope\""));
    assertThat(response.body())
        .isEqualTo(
            "{\"errors\":[{\"message\":\"the token lacks the scope this endpoint needs\"}]}");
    assertThat(kafka().raw(Set.of(id))).isZero();
  }

  @Test
  void expiredTokenIs401() throws Exception {
    // Given a token that was valid from ten minutes ago until five minutes ago
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(TokenClaims.ISSUER)
            .subject("it")
            .issueTime(Date.from(now.minusSeconds(600)))
            .expirationTime(Date.from(now.minusSeconds(300)))
            .claim(TokenClaims.SCOPE, Scopes.INGEST)
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    String expired = jwt.serialize();

    HttpResponse<String> response = post("application/json", anEvent(freshImageId()), expired);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("expired");
  }

  @Test
  void tokenSignedWithAnotherSecretIs401() {
    String forged =
        new TokenMinter("another-secret-that-is-also-32-bytes-long")
            .mint("it", null, List.of(Scopes.INGEST), Duration.ofMinutes(5));

    HttpResponse<String> response = post("application/json", anEvent(freshImageId()), forged);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"invalid_token\""));
    assertThat(response.body())
        .startsWith("{\"errors\":[{\"message\":\"a valid bearer token is required: ");
  }

  @Test
  void healthNeedsNoToken() {
    HttpResponse<String> response = get("/actuator/health", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"UP\"");
    // No paths, disk sizes or components for a caller without an admin token
    assertThat(response.body()).doesNotContain("components", "diskSpace", "path");
  }

  @Test
  void aTokenWithoutExpIs401AndNothingIsStored() throws Exception {
    long id = freshImageId();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(TokenClaims.ISSUER)
            .subject("it")
            .claim(TokenClaims.SCOPE, Scopes.INGEST)
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));

    HttpResponse<String> response = post("application/json", anEvent(id), jwt.serialize());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("exp");
    assertThat(kafka().raw(Set.of(id))).isZero();
  }

  @Test
  void theErrorPageIsA404InTheJsonBody() {
    HttpResponse<String> response = get("/error", null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"errors\":[{\"message\":\"not found\"}]}");
  }

  @Test
  void metricsWantTheAdminScope() {
    // One accepted event, so that a producer has sent something
    assertThat(post("application/json", anEvent(freshImageId()), ingestToken()).statusCode())
        .isEqualTo(202);
    assertThat(get("/actuator/prometheus", ingestToken()).statusCode()).isEqualTo(403);

    HttpResponse<String> response = get("/actuator/prometheus", token(Scopes.ADMIN));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("redstats_ingest_accepted")
        .contains("redstats_dedup_duplicates")
        .contains("redstats_sink_lag")
        .contains("redstats_sink_freshness")
        .containsPattern("kafka_producer_record_send_total\\{.*client_id=\"redstats-ingest\"");
  }

  @Test
  void openApiDocsArePublicAndDescribeThePostEndpoint() {
    HttpResponse<String> response = get("/v3/api-docs", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("/stats").contains("\"bearerFormat\":\"JWT\"");
  }
}
