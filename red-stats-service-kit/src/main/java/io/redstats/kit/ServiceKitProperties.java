package io.redstats.kit;

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
   * @param jwtSecret {@code redstats.security.jwt-secret} (env {@code
   *     REDSTATS_SECURITY_JWT_SECRET}): the HS256 secret shared by the deployment, at least 32
   *     bytes; no default, so a service that was not given one refuses to start rather than accept
   *     tokens anyone could mint
   */
  public record Security(String jwtSecret) {}

  /** Whose images a client token may see. */
  public enum Visibility {
    /** A client token sees its own client's images only. */
    OWN,
    /** Every client's images are visible to every client token. */
    ALL
  }
}
