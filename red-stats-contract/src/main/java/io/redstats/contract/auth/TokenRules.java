package io.redstats.contract.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The claims every RED_STATS token must carry, checked after its signature, with a reason a person
 * can act on (the 401's message): issuer {@value TokenClaims#ISSUER}; an {@code exp} — a token that
 * never expires is refused (promise 6); not expired and not used before its {@code nbf}; and, when
 * present, a {@code client_id} that is a JSON integer in 1..2^63-1, the range of the event's {@code
 * client_id}.
 */
final class TokenRules implements OAuth2TokenValidator<Jwt> {

  /** Tolerated clock difference between the minting and the verifying host (Spring's default). */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  private final Clock clock;

  TokenRules(Clock clock) {
    this.clock = clock;
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt jwt) {
    List<OAuth2Error> errors = new ArrayList<>();
    if (!TokenClaims.ISSUER.equals(jwt.getClaimAsString("iss"))) {
      errors.add(error("the token's issuer (iss) must be " + TokenClaims.ISSUER));
    }
    Instant now = clock.instant();
    Instant expiresAt = jwt.getExpiresAt();
    if (expiresAt == null) {
      errors.add(error("the token has no expiry (exp claim); every token must expire"));
    } else if (now.minus(CLOCK_SKEW).isAfter(expiresAt)) {
      errors.add(error("the token expired at " + expiresAt));
    }
    Instant notBefore = jwt.getNotBefore();
    if (notBefore != null && now.plus(CLOCK_SKEW).isBefore(notBefore)) {
      errors.add(error("the token is not valid before " + notBefore));
    }
    if (jwt.hasClaim(TokenClaims.CLIENT_ID)
        && clientId(jwt.getClaims().get(TokenClaims.CLIENT_ID)) == null) {
      errors.add(
          error(
              "the token's client_id claim must be a positive integer no larger than 2^63-1,"
                  + " written as a JSON number"));
    }
    return errors.isEmpty()
        ? OAuth2TokenValidatorResult.success()
        : OAuth2TokenValidatorResult.failure(errors);
  }

  /**
   * The claim's value as a client id, or null when it is none: the JSON parser gives an integer
   * that fits 64 bits as a Long (or Integer); a fraction, an exponent or a larger integer arrives
   * as a Double or BigInteger, text as a String — all refused rather than rounded or truncated.
   */
  static Long clientId(Object claim) {
    if (claim instanceof Long || claim instanceof Integer) {
      long value = ((Number) claim).longValue();
      return value > 0 ? value : null;
    }
    return null;
  }

  private static OAuth2Error error(String description) {
    return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null);
  }
}
