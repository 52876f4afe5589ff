package io.redstats.kit.security;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenClaims;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who sent a request, from its verified token.
 *
 * @param clientId the client the token acts for, or null (producer and admin tokens); the decoder
 *     has checked it is a positive 64-bit integer
 * @param scopes the token's scopes
 * @param expiresAt the token's {@code exp} (every accepted token has one)
 */
public record Caller(Long clientId, Set<String> scopes, Instant expiresAt) {

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  /** The holder of a verified token. */
  public static Caller of(Jwt jwt) {
    String scope = jwt.getClaimAsString(TokenClaims.SCOPE);
    Set<String> scopes =
        scope == null
            ? Set.of()
            : Arrays.stream(scope.split(" "))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    return new Caller(JwtSupport.clientId(jwt), scopes, jwt.getExpiresAt());
  }

  /**
   * The caller of the request this thread serves, or empty when it sent no token (an open
   * endpoint).
   */
  public static Optional<Caller> current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication instanceof JwtAuthenticationToken token) {
      return Optional.of(of(token.getToken()));
    }
    return Optional.empty();
  }

  public boolean hasScope(String scope) {
    return scopes.contains(scope);
  }

  /** Scope admin: sees every client. */
  public boolean admin() {
    return hasScope(Scopes.ADMIN);
  }
}
