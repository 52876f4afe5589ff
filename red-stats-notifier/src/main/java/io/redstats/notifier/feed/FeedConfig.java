package io.redstats.notifier.feed;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(FeedProperties.class)
public class FeedConfig {

  @Bean
  LiveFeed liveFeed(FeedProperties properties, FeedListener listener, MeterRegistry registry) {
    return new LiveFeed(properties, listener, registry);
  }

  @Bean
  ReplayService replayService(FeedProperties properties, MeterRegistry registry) {
    return new ReplayService(properties, registry);
  }
}
