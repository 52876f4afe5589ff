package io.redstats.notifier.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.kit.ServiceKitProperties.Visibility;
import io.redstats.kit.security.VisibilityRule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** The WebSocket handshake verifies tokens by the same rules as every HTTP endpoint. */
class SubscriberAuthenticatorTest {

  private static final String SECRET = "subscriber-authenticator-test-secret-32b";

  private final SubscriberAuthenticator authenticator =
      new SubscriberAuthenticator(JwtSupport.decoder(SECRET), new VisibilityRule(Visibility.OWN));

  private static String signed(String json) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), JWTClaimsSet.parse(json));
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static AuthException refusal(Runnable handshake) {
    try {
      handshake.run();
    } catch (AuthException e) {
      return e;
    }
    throw new AssertionError("the handshake was not refused");
  }

  @Test
  void aTokenWithoutExpIsRefused401NamingTheReason() throws Exception {
    String noExp = signed("{\"iss\":\"redstats\",\"scope\":\"subscribe\",\"client_id\":7}");

    AuthException e = refusal(() -> authenticator.authenticate("Bearer " + noExp, null));

    assertThat(e.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(e.getMessage()).contains("exp");
  }

  @Test
  void aTokenWithAFractionalClientIdIsRefused401NamingTheClaim() throws Exception {
    long exp = Instant.now().plusSeconds(300).getEpochSecond();
    String token =
        signed(
            "{\"iss\":\"redstats\",\"scope\":\"subscribe\",\"exp\":"
                + exp
                + ",\"client_id\":506.9}");

    AuthException e = refusal(() -> authenticator.authenticate("Bearer " + token, null));

    assertThat(e.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(e.getMessage()).contains("client_id");
  }

  @Test
  void aClientTokenWatchesItsOwnClientOnly() {
    String token =
        new TokenMinter(SECRET).mint("c", 7L, List.of("subscribe"), Duration.ofMinutes(5));
    Caller caller = authenticator.authenticate("Bearer " + token, null);

    assertThat(authenticator.visibleClient(caller, null)).isEqualTo(7L);
    assertThatThrownBy(() -> authenticator.visibleClient(caller, 8L))
        .isInstanceOf(AuthException.class)
        .hasMessage("a client token sees only its own client_id 7");
  }
}
