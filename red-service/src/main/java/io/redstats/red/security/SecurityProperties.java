package io.redstats.red.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The deployment's shared HS256 secret (at least 32 bytes), given one way or the other; no default,
 * RED refuses to start without it. RED verifies tokens with it and signs its own producer tokens.
 *
 * @param jwtSecret the secret itself ({@code REDSTATS_SECURITY_JWT_SECRET})
 * @param jwtSecretFile a file holding the secret (an owner-only file; one trailing line break is
 *     ignored), for deployments that keep secrets out of the environment
 */
@ConfigurationProperties("redstats.security")
public record SecurityProperties(String jwtSecret, Path jwtSecretFile) {

  /** The secret, from the property or the file; throws naming both when neither or both is set. */
  public String secret() {
    boolean inline = jwtSecret != null && !jwtSecret.isEmpty();
    if (inline == (jwtSecretFile != null)) {
      throw new IllegalStateException(
          "set exactly one of redstats.security.jwt-secret (REDSTATS_SECURITY_JWT_SECRET) and"
              + " redstats.security.jwt-secret-file (REDSTATS_SECURITY_JWT_SECRET_FILE)");
    }
    if (inline) {
      return jwtSecret;
    }
    try {
      String content = Files.readString(jwtSecretFile, StandardCharsets.UTF_8);
      if (content.endsWith("\n")) {
        content = content.substring(0, content.length() - 1);
      }
      return content.endsWith("\r") ? content.substring(0, content.length() - 1) : content;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read redstats.security.jwt-secret-file", e);
    }
  }
}
