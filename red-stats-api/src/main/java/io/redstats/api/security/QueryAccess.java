package io.redstats.api.security;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Which client a query may count, decided from the token's claims alone (no look-up per request).
 *
 * <p>An admin token, or any token when visibility is {@code all}, counts what it asks for (null:
 * every client). Under {@code own} a client token counts its own client: asking for none narrows
 * the query to it, asking for another is refused; a token for no client and without admin sees
 * nothing.
 */
@Component
public class QueryAccess {

  private final Visibility visibility;

  public QueryAccess(VisibilityProperties properties) {
    this.visibility = properties.visibility();
  }

  /**
   * @param requested the client_id parameter, or null
   * @return the client to count, or null for every client
   * @throws AccessDeniedException when the token may not see what it asks for (403)
   */
  public Long clientFor(Jwt token, Long requested) {
    if (visibility == Visibility.ALL || JwtSupport.hasScope(token, Scopes.ADMIN)) {
      return requested;
    }
    Long own = JwtSupport.clientId(token);
    if (own == null) {
      throw new AccessDeniedException(
          "this token acts for no client; ask for a client token or an admin token");
    }
    if (requested != null && !requested.equals(own)) {
      throw new AccessDeniedException("a client token may only count its own client_id " + own);
    }
    return own;
  }
}
