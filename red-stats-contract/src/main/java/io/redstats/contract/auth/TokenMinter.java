package io.redstats.contract.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.UUID;

/**
 * Signs RED_STATS tokens (HS256 with the deployment's shared secret). Services verify them locally,
 * with no database look-up per request.
 */
public final class TokenMinter {

  private final byte[] secret;

  public TokenMinter(String secret) {
    this.secret = secretBytes(secret);
  }

  /** The secret's bytes, refusing one too short for HS256. */
  public static byte[] secretBytes(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < TokenClaims.MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the JWT secret must be at least " + TokenClaims.MIN_SECRET_BYTES + " bytes");
    }
    return bytes;
  }

  /**
   * A signed token.
   *
   * @param subject who it is for (a name for logs)
   * @param clientId the client it acts for, or null for producer and admin tokens
   */
  public String mint(String subject, Long clientId, Collection<String> scopes, Duration validFor) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(TokenClaims.ISSUER)
            .subject(subject)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(validFor)))
            .claim(TokenClaims.SCOPE, String.join(" ", scopes));
    if (clientId != null) {
      claims.claim(TokenClaims.CLIENT_ID, clientId);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    try {
      jwt.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
    return jwt.serialize();
  }
}
