package io.redstats.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.kit.ServiceKitProperties;
import io.redstats.kit.ServiceKitProperties.Visibility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerSecurityAutoConfigurationTest {

  private static final String SECRET = "bearer-security-test-secret-of-32-bytes";

  private static ServiceKitProperties secret(String secret) {
    return new ServiceKitProperties(
        new ServiceKitProperties.Security(secret, null), Visibility.OWN);
  }

  @Test
  void aServiceWithoutSecretRefusesToStart() {
    for (String missing : new String[] {null, "", "  "}) {
      assertThatThrownBy(() -> new BearerSecurityAutoConfiguration().jwtDecoder(secret(missing)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("REDSTATS_SECURITY_JWT_SECRET");
    }
  }

  @Test
  void theSecretCanComeFromAFileAndNeverFromBothPlaces(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("secret"), SECRET + "\n");
    String token = new TokenMinter(SECRET).mint("t", 7L, List.of("query"), Duration.ofMinutes(5));
    ServiceKitProperties fromFile =
        new ServiceKitProperties(new ServiceKitProperties.Security(null, file), Visibility.OWN);
    ServiceKitProperties both =
        new ServiceKitProperties(new ServiceKitProperties.Security(SECRET, file), Visibility.OWN);

    assertThat(new BearerSecurityAutoConfiguration().jwtDecoder(fromFile).decode(token))
        .isNotNull();
    assertThatThrownBy(() -> new BearerSecurityAutoConfiguration().jwtDecoder(both))
        .hasMessageContaining("exactly one");
  }

  @Test
  void theDecoderVerifiesTheDeploymentsTokens() {
    String token = new TokenMinter(SECRET).mint("t", 7L, List.of("query"), Duration.ofMinutes(5));

    assertThat(
            JwtSupport.clientId(
                new BearerSecurityAutoConfiguration().jwtDecoder(secret(SECRET)).decode(token)))
        .isEqualTo(7L);
  }
}
