package io.redstats.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.jwt.Jwt;

class QueryAccessTest {

  private final QueryAccess own = new QueryAccess(new VisibilityProperties(Visibility.OWN));
  private final QueryAccess all = new QueryAccess(new VisibilityProperties(Visibility.ALL));

  @Test
  void clientTokenIsNarrowedToItsOwnClient() {
    assertThat(own.clientFor(clientToken(7), null)).isEqualTo(7L);
    assertThat(own.clientFor(clientToken(7), 7L)).isEqualTo(7L);
  }

  @Test
  void clientTokenAskingForAnotherClientIsRefused() {
    assertThatThrownBy(() -> own.clientFor(clientToken(7), 8L))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void tokenForNoClientWithoutAdminSeesNothing() {
    assertThatThrownBy(() -> own.clientFor(token("query", null), null))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void adminSeesWhatItAsksFor() {
    assertThat(own.clientFor(token("admin", null), null)).isNull();
    assertThat(own.clientFor(token("query admin", null), 8L)).isEqualTo(8L);
  }

  @Test
  void openVisibilityLetsAClientCountAnyClient() {
    assertThat(all.clientFor(clientToken(7), 8L)).isEqualTo(8L);
    assertThat(all.clientFor(clientToken(7), null)).isNull();
  }

  private static Jwt clientToken(long clientId) {
    return token("query", clientId);
  }

  private static Jwt token(String scope, Long clientId) {
    Jwt.Builder b =
        Jwt.withTokenValue("t")
            .header("alg", "HS256")
            .subject("s")
            .issuedAt(Instant.now())
            .claim("scope", scope);
    if (clientId != null) {
      b.claim("client_id", clientId);
    }
    return b.build();
  }
}
