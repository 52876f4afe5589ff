package io.redstats.notifier.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param visibility {@code own}: a client token is alerted about its own client_id's images only;
 *     {@code all}: every image to every subscriber (the seed design's default)
 */
@ConfigurationProperties("redstats")
public record VisibilityProperties(@DefaultValue("own") Visibility visibility) {

  public enum Visibility {
    OWN,
    ALL
  }
}
