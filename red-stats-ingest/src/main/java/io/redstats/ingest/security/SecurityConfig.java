package io.redstats.ingest.security;

import io.redstats.contract.auth.Scopes;
import io.redstats.kit.security.UrlRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * {@code POST /stats} (and RED's image lookup) wants the scope {@code ingest}, {@code GET
 * /conflicts} {@code ingest} or {@code admin}; every other endpoint any valid token. What every
 * service shares (health and the API docs open, the actuator for admins, JSON refusals) is the
 * service kit's.
 */
@Configuration
class SecurityConfig {

  @Bean
  UrlRules urlRules() {
    return UrlRules.of(
        "the token lacks the scope this endpoint needs",
        auth ->
            auth.requestMatchers(
                    HttpMethod.POST, "/stats", "/bench/noop", "/internal/images/lookup")
                .hasAuthority(Scopes.authority(Scopes.INGEST))
                .requestMatchers(HttpMethod.GET, "/conflicts")
                .hasAnyAuthority(Scopes.authority(Scopes.INGEST), Scopes.authority(Scopes.ADMIN))
                .anyRequest()
                .authenticated());
  }
}
