package io.redstats.notifier.feed;

import io.redstats.contract.event.Topics;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * DOWN until the live feed reads the canonical topic: a node that cannot alert should not get
 * clients from the load balancer. It waits for the topic, which ingest creates.
 */
@Component("feed")
public class FeedHealthIndicator implements HealthIndicator {

  private final LiveFeed feed;

  public FeedHealthIndicator(LiveFeed feed) {
    this.feed = feed;
  }

  @Override
  public Health health() {
    Health.Builder health = feed.isReady() ? Health.up() : Health.down();
    return health.withDetail("topic", Topics.CANONICAL.name()).build();
  }
}
