package io.redstats.notifier.security;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import io.redstats.kit.security.BearerSecurityAutoConfiguration;
import io.redstats.kit.security.VisibilityRule;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/**
 * Decides who may open an alert stream and whose images it sees. It runs in the WebSocket handshake
 * or on the socket's first message, because browsers cannot set headers on a WebSocket: the token
 * may come in the {@code Authorization} header or in the first message, never in the URL.
 */
@Component
public class SubscriberAuthenticator {

  private static final String BEARER = "Bearer ";

  private final JwtDecoder decoder;
  private final VisibilityRule visibility;

  public SubscriberAuthenticator(JwtDecoder decoder, VisibilityRule visibility) {
    this.decoder = decoder;
    this.visibility = visibility;
  }

  /**
   * @param authorization the Authorization header, or null
   * @param accessToken the token of the socket's first message, or null
   * @throws AuthException 401 without a valid token, 403 without scope subscribe
   */
  public Caller authenticate(String authorization, String accessToken) {
    String token = tokenFrom(authorization, accessToken);
    Jwt jwt;
    try {
      jwt = decoder.decode(token);
    } catch (JwtException e) {
      // The decoder's reason is in plain words: no exp, a bad client_id, expired, forged.
      throw new AuthException(
          HttpStatus.UNAUTHORIZED, BearerSecurityAutoConfiguration.INVALID_TOKEN + e.getMessage());
    }
    boolean admin = JwtSupport.hasScope(jwt, Scopes.ADMIN);
    if (!admin && !JwtSupport.hasScope(jwt, Scopes.SUBSCRIBE)) {
      throw new AuthException(HttpStatus.FORBIDDEN, "the token lacks scope subscribe");
    }
    return new Caller(JwtSupport.clientId(jwt), admin, jwt.getExpiresAt());
  }

  /**
   * Whose images the caller is alerted about: null for every client.
   *
   * @param requested the {@code client_id} the caller asked to watch, or null
   * @throws AuthException 403 when it asks for a client it may not see
   */
  public Long visibleClient(Caller caller, Long requested) {
    try {
      return visibility.visibleClient(caller.clientId(), caller.admin(), requested);
    } catch (VisibilityRule.Denied e) {
      throw new AuthException(HttpStatus.FORBIDDEN, e.getMessage());
    }
  }

  private static String tokenFrom(String authorization, String accessToken) {
    if (authorization != null && !authorization.isBlank()) {
      if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        throw new AuthException(HttpStatus.UNAUTHORIZED, "Authorization must be a Bearer token");
      }
      return authorization.substring(BEARER.length()).trim();
    }
    if (accessToken != null && !accessToken.isBlank()) {
      return accessToken;
    }
    throw new AuthException(
        HttpStatus.UNAUTHORIZED, BearerSecurityAutoConfiguration.TOKEN_REQUIRED);
  }
}
