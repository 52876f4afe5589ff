package io.redstats.red.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import io.redstats.kit.ServiceKitProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.jwt.Jwt;

class ProducerTokenTest {

  private static final String SECRET = "producer-token-test-secret-0123456789abcdef";
  private static final Duration TTL = Duration.ofMinutes(10);

  private final AtomicLong nanos = new AtomicLong();

  @Test
  void redSignsAShortLivedServiceTokenWithScopeIngest() {
    ProducerToken token =
        new ProducerToken(null, new ServiceKitProperties.Security(SECRET, null), TTL, nanos::get);

    Jwt jwt = verify(token.authorization());

    assertThat(JwtSupport.hasScope(jwt, Scopes.INGEST)).isTrue();
    assertThat(JwtSupport.clientId(jwt)).isNull();
    assertThat(jwt.getSubject()).isEqualTo("red-service");
    assertThat(jwt.getExpiresAt())
        .isBetween(Instant.now().plus(TTL).minusSeconds(60), Instant.now().plus(TTL));
  }

  @Test
  void tokenIsRenewedOnceHalfItsLifeHasPassed() {
    ProducerToken token =
        new ProducerToken(null, new ServiceKitProperties.Security(SECRET, null), TTL, nanos::get);
    String first = token.authorization();

    nanos.set(TTL.toNanos() / 2 - 1);
    assertThat(token.authorization()).isEqualTo(first);

    nanos.set(TTL.toNanos() / 2);
    String second = token.authorization();
    assertThat(second).isNotEqualTo(first);
    verify(second);
  }

  @Test
  void explicitlyConfiguredFixedTokenIsSentAsIs() {
    ProducerToken token =
        new ProducerToken(
            "fixed.token.value", new ServiceKitProperties.Security(SECRET, null), TTL, nanos::get);

    assertThat(token.authorization()).isEqualTo("Bearer fixed.token.value");
    nanos.set(TTL.toNanos());
    assertThat(token.authorization()).isEqualTo("Bearer fixed.token.value");
  }

  @Test
  void secretCanComeFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("jwt-secret");
    Files.writeString(file, SECRET + "\n");
    ProducerToken token =
        new ProducerToken(null, new ServiceKitProperties.Security(null, file), TTL, nanos::get);

    assertThat(JwtSupport.hasScope(verify(token.authorization()), Scopes.INGEST)).isTrue();
  }

  private static Jwt verify(String authorization) {
    assertThat(authorization).startsWith("Bearer ");
    return JwtSupport.decoder(SECRET).decode(authorization.substring("Bearer ".length()));
  }
}
