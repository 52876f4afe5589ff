package io.redstats.notifier.security;

import io.redstats.contract.auth.Scopes;
import io.redstats.kit.security.UrlRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HTTP security: {@code /alerts} authenticates in its own handshake ({@link
 * SubscriberAuthenticator}); everything else wants scope admin. The rest (health, the bearer chain,
 * the JSON refusals) is the service kit's.
 */
@Configuration
public class SecurityConfig {

  @Bean
  UrlRules urlRules() {
    return UrlRules.of(
        "the token lacks scope admin",
        requests ->
            requests
                .requestMatchers("/alerts")
                .permitAll()
                .anyRequest()
                .hasAuthority(Scopes.authority(Scopes.ADMIN)));
  }
}
