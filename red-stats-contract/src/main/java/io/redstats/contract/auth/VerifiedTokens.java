package io.redstats.contract.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * A {@link JwtDecoder} that remembers the tokens it verified: RED and the analysts send the same
 * token with every request, and the HMAC check plus claim parsing were about 7 % of the CPU samples
 * of a single-event request. A token is remembered only once its signature and claims passed; its
 * time rules (expiry, not-before) and issuer are checked again on every use, so a remembered token
 * stops working exactly when an unremembered one would. The key is the whole token text: a token
 * that differs in any byte is verified afresh.
 */
final class VerifiedTokens implements JwtDecoder {

  /** Tokens remembered at most: a deployment has a few producer tokens and one per client. */
  static final int MAX_TOKENS = 4_096;

  /** Forgotten after this long even while in use, so the cache holds no token for ever. */
  static final Duration REMEMBER_FOR = Duration.ofMinutes(10);

  private final JwtDecoder verifier;
  private final OAuth2TokenValidator<Jwt> rules;
  private final Cache<String, Jwt> verified =
      Caffeine.newBuilder().maximumSize(MAX_TOKENS).expireAfterWrite(REMEMBER_FOR).build();

  /**
   * @param verifier checks signature and claims (and applies {@code rules}) on a token not seen yet
   * @param rules checked again on every use of a remembered token
   */
  VerifiedTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> rules) {
    this.verifier = verifier;
    this.rules = rules;
  }

  @Override
  public Jwt decode(String token) {
    Jwt known = verified.getIfPresent(token);
    if (known != null) {
      if (!rules.validate(known).hasErrors()) {
        return known;
      }
      // Expired (or no longer valid): the verifier refuses it with its usual error.
      verified.invalidate(token);
    }
    Jwt jwt = verifier.decode(token);
    verified.put(token, jwt);
    return jwt;
  }
}
