package io.redstats.contract.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class JwtSupportTest {

  private static final String SECRET = "jwt-support-test-secret-of-32-bytes-long";

  private final JwtDecoder decoder = JwtSupport.decoder(SECRET);

  /** A token signed with the test secret whose payload is exactly {@code json}. */
  private static String signed(String json) throws Exception {
    SignedJWT jwt =
        new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), com.nimbusds.jwt.JWTClaimsSet.parse(json));
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static String payload(String clientIdJson, boolean withExp) {
    long exp = Instant.now().plus(Duration.ofMinutes(5)).getEpochSecond();
    return "{\"iss\":\"redstats\",\"sub\":\"t\",\"scope\":\"query\""
        + (withExp ? ",\"exp\":" + exp : "")
        + (clientIdJson == null ? "" : ",\"client_id\":" + clientIdJson)
        + "}";
  }

  @Test
  void aTokenWithoutExpIsRefusedNamingTheReason() throws Exception {
    String token = signed(payload("7", false));

    assertThatThrownBy(() -> decoder.decode(token))
        .isInstanceOf(BadJwtException.class)
        .hasMessage("the token has no expiry (exp claim); every token must expire");
  }

  @ParameterizedTest
  @ValueSource(strings = {"506.9", "-5", "0", "18446744073709552122", "\"abc\"", "\"7\"", "1e3"})
  void aClientIdThatIsNotAPositive64BitIntegerIsRefused(String clientId) throws Exception {
    String token = signed(payload(clientId, true));

    assertThatThrownBy(() -> decoder.decode(token))
        .isInstanceOf(BadJwtException.class)
        .hasMessageContaining("client_id")
        .hasMessageNotContaining("Jwt");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "7", "9223372036854775807"})
  void aPositive64BitClientIdIsAccepted(String clientId) throws Exception {
    assertThat(JwtSupport.clientId(decoder.decode(signed(payload(clientId, true)))))
        .isEqualTo(Long.parseLong(clientId));
  }

  @Test
  void aTokenWithoutClientIdActsForNoClient() throws Exception {
    assertThat(JwtSupport.clientId(decoder.decode(signed(payload(null, true))))).isNull();
  }

  @Test
  void refusalsSayWhyWithoutNamingTheLibrary() {
    String good = new TokenMinter(SECRET).mint("t", 7L, List.of("query"), Duration.ofMinutes(5));
    String forged =
        new TokenMinter("another-secret-that-is-also-32-bytes-long")
            .mint("t", 7L, List.of("query"), Duration.ofMinutes(5));
    String unsigned =
        Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
            + "."
            + good.split("\\.")[1]
            + ".";

    assertThatThrownBy(() -> decoder.decode("not-a-jwt")).hasMessage(PlainWords.MALFORMED);
    assertThatThrownBy(() -> decoder.decode(forged)).hasMessage(PlainWords.BAD_SIGNATURE);
    assertThatThrownBy(() -> decoder.decode(unsigned))
        .isInstanceOf(BadJwtException.class)
        .hasMessageNotContainingAny("Jwt", "JOSE", "Nimbus", "decode");
  }

  @Test
  void anExpiredTokenIsRefusedSayingWhen() throws Exception {
    long past = Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond();
    String expired =
        signed("{\"iss\":\"redstats\",\"iat\":" + past + ",\"exp\":" + (past + 60) + "}");
    String backwards =
        signed("{\"iss\":\"redstats\",\"iat\":" + (past + 60) + ",\"exp\":" + past + "}");

    assertThatThrownBy(() -> decoder.decode(expired))
        .hasMessageStartingWith("the token expired at ");
    assertThatThrownBy(() -> decoder.decode(backwards)).hasMessage(PlainWords.INCONSISTENT_TIMES);
  }
}
