package io.redstats.contract.auth;

import java.time.Clock;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * How every service verifies a RED_STATS token: HS256 with the shared secret, then the claims of
 * {@link TokenRules} (issuer, a required {@code exp}, a well-formed {@code client_id}); a refusal
 * says why in plain words ({@link PlainWords}). Spring's default converter then maps {@code scope}
 * to {@code SCOPE_*} authorities. A verified token is remembered ({@link VerifiedTokens}); its
 * rules are checked on every use.
 *
 * <p>It lives in the contract, beside {@link TokenMinter}, because it is the other half of the
 * token format: what a minted token must carry is what this decoder asks for.
 */
public final class JwtSupport {

  private JwtSupport() {}

  public static JwtDecoder decoder(String secret) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(TokenMinter.secretBytes(secret), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            // The claims are TokenRules' to check, so that a refusal says why in its words.
            .jwtProcessorCustomizer(processor -> processor.setJWTClaimsSetVerifier(null))
            .build();
    OAuth2TokenValidator<Jwt> rules = new TokenRules(Clock.systemUTC());
    decoder.setJwtValidator(rules);
    return new VerifiedTokens(new PlainWords(decoder), rules);
  }

  /** The client a token acts for, or null when it acts for none (producer, admin). */
  public static Long clientId(Jwt jwt) {
    return TokenRules.clientId(jwt.getClaims().get(TokenClaims.CLIENT_ID));
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
