package io.redstats.contract.auth;

import java.text.ParseException;
import java.util.stream.Collectors;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Says why a token was refused in words of the token, not of the library that checked it: the
 * messages of the JWT library name its classes and steps ("An error occurred while attempting to
 * decode the Jwt: Signed JWT rejected: …"), and a 401 carries the message to the caller. Every
 * refusal leaves as a {@link BadJwtException}, which Spring answers with 401; another {@link
 * JwtException} would become a 500.
 */
final class PlainWords implements JwtDecoder {

  static final String MALFORMED = "the token is not a well-formed signed JWT";

  static final String BAD_SIGNATURE =
      "the token's signature does not verify with this deployment's key (HS256)";

  /** Spring refuses to build a token whose times contradict each other (exp before iat). */
  static final String INCONSISTENT_TIMES = "the token's exp must be after its iat";

  private final JwtDecoder decoder;

  PlainWords(JwtDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public Jwt decode(String token) {
    try {
      return decoder.decode(token);
    } catch (JwtValidationException e) {
      String reasons =
          e.getErrors().stream().map(OAuth2Error::getDescription).collect(Collectors.joining("; "));
      throw new JwtValidationException(reasons, e.getErrors());
    } catch (BadJwtException e) {
      throw new BadJwtException(reason(e), e);
    } catch (JwtException e) {
      throw new BadJwtException(MALFORMED, e);
    }
  }

  private static String reason(BadJwtException e) {
    if (e.getCause() instanceof ParseException) {
      return MALFORMED;
    }
    if (e.getCause() instanceof IllegalArgumentException) {
      return INCONSISTENT_TIMES;
    }
    // A bad signature, another algorithm, or none at all.
    return BAD_SIGNATURE;
  }
}
