package io.redstats.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstats.kit.ServiceKitProperties.Visibility;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class VisibilityRuleTest {

  private final VisibilityRule own = new VisibilityRule(Visibility.OWN);
  private final VisibilityRule all = new VisibilityRule(Visibility.ALL);

  @Test
  void clientTokenIsNarrowedToItsOwnClient() {
    assertThat(own.visibleClient(clientToken(7), null)).isEqualTo(7L);
    assertThat(own.visibleClient(clientToken(7), 7L)).isEqualTo(7L);
  }

  @Test
  void clientTokenAskingForAnotherClientIsRefused() {
    assertThatThrownBy(() -> own.visibleClient(clientToken(7), 8L))
        .isInstanceOf(VisibilityRule.Denied.class);
  }

  @Test
  void tokenForNoClientWithoutAdminSeesNothing() {
    assertThatThrownBy(() -> own.visibleClient(token("query", null), null))
        .isInstanceOf(VisibilityRule.Denied.class);
  }

  @Test
  void adminSeesWhatItAsksFor() {
    assertThat(own.visibleClient(token("admin", null), null)).isNull();
    assertThat(own.visibleClient(token("query admin", null), 8L)).isEqualTo(8L);
  }

  @Test
  void openVisibilityLetsAClientCountAnyClient() {
    assertThat(all.visibleClient(clientToken(7), 8L)).isEqualTo(8L);
    assertThat(all.visibleClient(clientToken(7), null)).isNull();
  }

  private static Caller clientToken(long clientId) {
    return token("query", clientId);
  }

  private static Caller token(String scope, Long clientId) {
    Jwt.Builder b =
        Jwt.withTokenValue("t")
            .header("alg", "HS256")
            .subject("s")
            .issuedAt(Instant.now())
            .claim("scope", scope);
    if (clientId != null) {
      b.claim("client_id", clientId);
    }
    return Caller.of(b.build());
  }
}
