package io.redstats.contract.auth;

import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * How every service verifies a RED_STATS token: HS256 with the shared secret, issuer {@value
 * TokenClaims#ISSUER}, not expired. Spring's default converter then maps {@code scope} to {@code
 * SCOPE_*} authorities. A verified token is remembered ({@link VerifiedTokens}); its time rules are
 * checked on every use.
 */
public final class JwtSupport {

  private JwtSupport() {}

  public static JwtDecoder decoder(String secret) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(TokenMinter.secretBytes(secret), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    OAuth2TokenValidator<Jwt> rules =
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefaultWithIssuer(TokenClaims.ISSUER));
    decoder.setJwtValidator(rules);
    return new VerifiedTokens(decoder, rules);
  }

  /** The client a token acts for, or null when it acts for none (producer, admin). */
  public static Long clientId(Jwt jwt) {
    Object claim = jwt.getClaims().get(TokenClaims.CLIENT_ID);
    if (claim instanceof Number number) {
      return number.longValue();
    }
    return null;
  }

  public static boolean hasScope(Jwt jwt, String scope) {
    String scopes = jwt.getClaimAsString(TokenClaims.SCOPE);
    if (scopes == null) {
      return false;
    }
    for (String s : scopes.split(" ")) {
      if (s.equals(scope)) {
        return true;
      }
    }
    return false;
  }
}
