package io.redstats.notifier.socket;

import io.redstats.notifier.feed.FeedListener;
import io.redstats.notifier.index.SubscriptionIndex;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The index and the live feed's listener, apart so the feed can be built before the endpoint. */
@Configuration
class MatchingConfig {

  @Bean
  SubscriptionIndex<AlertSession> subscriptionIndex() {
    return new SubscriptionIndex<>();
  }

  @Bean
  FeedListener alertDispatcher(SubscriptionIndex<AlertSession> index) {
    return new AlertDispatcher(index);
  }
}
