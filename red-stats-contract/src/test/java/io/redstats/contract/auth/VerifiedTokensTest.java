package io.redstats.contract.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class VerifiedTokensTest {

  private static final String SECRET = "verified-tokens-test-secret-of-32-bytes!";

  private final JwtDecoder real = JwtSupport.decoder(SECRET);
  private final AtomicInteger verifications = new AtomicInteger();
  private final AtomicBoolean expired = new AtomicBoolean();

  /** Counts real verifications; the rules say "expired" when the test says so. */
  private final JwtDecoder counting =
      token -> {
        verifications.incrementAndGet();
        if (expired.get()) {
          throw new JwtValidationException("expired", List.of(new OAuth2Error("invalid_token")));
        }
        return real.decode(token);
      };

  private final OAuth2TokenValidator<Jwt> rules =
      jwt ->
          expired.get()
              ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token"))
              : OAuth2TokenValidatorResult.success();

  private final VerifiedTokens decoder = new VerifiedTokens(counting, rules);

  private static String token(long clientId) {
    return new TokenMinter(SECRET)
        .mint("client-" + clientId, clientId, List.of("subscribe"), Duration.ofMinutes(5));
  }

  @Test
  void aTokenIsVerifiedOnceAndThenRemembered() {
    String token = token(7);

    Jwt first = decoder.decode(token);
    Jwt again = decoder.decode(token);

    assertThat(again).isSameAs(first);
    assertThat(JwtSupport.clientId(again)).isEqualTo(7L);
    assertThat(verifications).hasValue(1);
    assertThat(decoder.decode(token(8)).getSubject()).isEqualTo("client-8");
    assertThat(verifications).hasValue(2);
  }

  @Test
  void aRememberedTokenIsRefusedOnceItsRulesFail() {
    String token = token(7);
    decoder.decode(token);

    expired.set(true);

    assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class);
    assertThat(verifications).hasValue(2);
  }

  @Test
  void aTokenThatFailsIsNeverRemembered() {
    String token = token(7);
    String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(BadJwtException.class);
    }
    assertThat(verifications).hasValue(3);
  }

  @Test
  void theServicesDecoderRemembersAndStillRefusesForgeries() {
    String token = token(9);

    assertThat(real).isInstanceOf(VerifiedTokens.class);
    assertThat(real.decode(token)).isSameAs(real.decode(token));
    assertThatThrownBy(() -> real.decode(token + "x")).isInstanceOf(BadJwtException.class);
  }
}
