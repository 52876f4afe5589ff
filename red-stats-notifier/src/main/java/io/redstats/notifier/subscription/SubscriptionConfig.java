package io.redstats.notifier.subscription;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration
@EnableScheduling
@EnableConfigurationProperties(NodeProperties.class)
public class SubscriptionConfig {

  @Bean
  NodeId nodeId(NodeProperties properties, @Value("${server.port:8091}") int port) {
    return NodeId.resolve(properties.nodeId(), port);
  }
}
