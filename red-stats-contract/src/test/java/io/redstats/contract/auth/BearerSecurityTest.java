package io.redstats.contract.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class BearerSecurityTest {

  private static final String SECRET = "bearer-security-test-secret-of-32-bytes-or-more";

  @Test
  void aServiceWithoutASecretRefusesToStart() {
    for (String missing : new String[] {null, "", "  "}) {
      assertThatThrownBy(() -> BearerSecurity.decoder(missing))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("redstats.security.jwt-secret (REDSTATS_SECURITY_JWT_SECRET) must be set");
    }
  }

  @Test
  void theDecoderTakesTheDeploymentsTokens() {
    assertThat(JwtSupport.clientId(BearerSecurity.decoder(SECRET).decode(token()))).isEqualTo(7L);
  }

  @Test
  void missingTokenIs401WithBearerChallengeWithoutErrorAndJsonBody() throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();

    BearerSecurity.unauthorized(e -> "a bearer token is required")
        .commence(
            new MockHttpServletRequest(),
            response,
            new InsufficientAuthenticationException("Full authentication is required"));

    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate"))
        .startsWith("Bearer")
        .doesNotContain("error=");
    assertThat(response.getContentType()).isEqualTo("application/json");
    assertThat(response.getContentAsString())
        .isEqualTo("{\"errors\":[{\"message\":\"a bearer token is required\"}]}");
  }

  @Test
  void badTokenIs401NamingInvalidTokenAndTheMessageSeesTheCause() throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();

    BearerSecurity.unauthorized(e -> "a valid bearer token is required: " + e.getMessage())
        .commence(
            new MockHttpServletRequest(), response, new InvalidBearerTokenException("Jwt expired"));

    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
    assertThat(response.getContentAsString())
        .isEqualTo(
            "{\"errors\":[{\"message\":\"a valid bearer token is required: Jwt expired\"}]}");
  }

  @Test
  void missingScopeIs403NamingInsufficientScopeWithJsonBody() throws Exception {
    // Given a request authenticated by a valid token
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setUserPrincipal(
        new JwtAuthenticationToken(BearerSecurity.decoder(SECRET).decode(token())));
    MockHttpServletResponse response = new MockHttpServletResponse();

    BearerSecurity.forbidden("the token lacks the \"query\" scope")
        .handle(request, response, new AccessDeniedException("denied"));

    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(response.getHeader("WWW-Authenticate"))
        .startsWith("Bearer error=\"insufficient_scope\"");
    assertThat(response.getContentType()).isEqualTo("application/json");
    assertThat(response.getContentAsString())
        .isEqualTo("{\"errors\":[{\"message\":\"the token lacks the \\\"query\\\" scope\"}]}");
  }

  private static String token() {
    return new TokenMinter(SECRET).mint("it", 7L, List.of(Scopes.SUBSCRIBE), Duration.ofMinutes(1));
  }
}
