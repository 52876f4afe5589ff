package io.redstats.red.conflicts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The watcher of ingest's {@code GET /conflicts}.
 *
 * @param enabled false turns the watcher off (an ingest without conflict records)
 * @param pollInterval how often ingest is asked for conflicts detected since the last look; a
 *     conflict is rare and its status is not urgent, and a look that finds nothing is one small GET
 * @param pageSize conflicts asked per request ({@code limit}); the watcher pages until it is
 *     through
 */
@ConfigurationProperties("redstats.red.conflicts")
public record ConflictProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("10s") Duration pollInterval,
    @DefaultValue("500") int pageSize) {

  public ConflictProperties {
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("redstats.red.conflicts.poll-interval must be positive");
    }
    if (pageSize <= 0) {
      throw new IllegalArgumentException("redstats.red.conflicts.page-size must be positive");
    }
  }
}
