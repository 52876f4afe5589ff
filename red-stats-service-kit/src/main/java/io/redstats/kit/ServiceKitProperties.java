package io.redstats.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings every service shares, under {@code redstats.*}.
 *
 * @param security {@code redstats.security.*}
 * @param visibility {@code redstats.visibility}: {@code own} (default) — a client token sees its
 *     own client_id's images only; {@code all} — every client's images to every client token (the
 *     seed design's default)
 */
@ConfigurationProperties("redstats")
public record ServiceKitProperties(
    @DefaultValue Security security, @DefaultValue("own") Visibility visibility) {

  /**
   * The HS256 secret shared by the deployment (at least 32 bytes), given one way or the other; no
   * default, so a service that was not given one refuses to start rather than accept tokens anyone
   * could mint.
   *
   * @param jwtSecret {@code redstats.security.jwt-secret} (env {@code
   *     REDSTATS_SECURITY_JWT_SECRET}): the secret itself
   * @param jwtSecretFile {@code redstats.security.jwt-secret-file} (env {@code
   *     REDSTATS_SECURITY_JWT_SECRET_FILE}): an owner-only file holding it (one trailing line break
   *     is ignored), for deployments that keep secrets out of the environment
   */
  public record Security(String jwtSecret, Path jwtSecretFile) {

    /** The secret; throws naming both properties when neither or both is set. */
    public String secret() {
      boolean inline = jwtSecret != null && !jwtSecret.isBlank();
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

  /** Whose images a client token may see. */
  public enum Visibility {
    /** A client token sees its own client's images only. */
    OWN,
    /** Every client's images are visible to every client token. */
    ALL
  }
}
