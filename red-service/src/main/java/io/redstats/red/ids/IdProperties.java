package io.redstats.red.ids;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a RED node holds its node number (the middle part of its image ids).
 *
 * @param lease how long a node number stays leased without a renewal; renewed every third of it. A
 *     node killed without a goodbye keeps its number this long (a restart takes another one). A
 *     node that cannot renew stops issuing ids when its lease runs out (uploads get 503).
 * @param maxClockStepBack how far the clock may step back before new ids are refused instead of
 *     waited for; NTP slews, and a step of more than this is an operator's matter
 */
@ConfigurationProperties("redstats.red.ids")
public record IdProperties(
    @DefaultValue("30s") Duration lease, @DefaultValue("2s") Duration maxClockStepBack) {

  public IdProperties {
    if (lease.toMillis() < 3) {
      throw new IllegalArgumentException("redstats.red.ids.lease must be at least 3 ms");
    }
  }
}
