package io.redstats.api.security;

import io.redstats.contract.auth.Scopes;
import io.redstats.kit.security.UrlRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Promise 6: every data endpoint wants a signed token with scope {@code query} (or {@code admin}).
 * Public besides what the service kit opens (health, the OpenAPI document, Swagger UI) is only the
 * dashboard shell, which holds no data: the page asks for the token itself.
 */
@Configuration
class SecurityConfig {

  private static final String[] DASHBOARD = {
    "/", "/dashboard", "/dashboard.html", "/dashboard/**", "/favicon.ico"
  };

  @Bean
  UrlRules urlRules() {
    return UrlRules.of(
        "this token lacks the scope for this endpoint (query or admin)",
        auth ->
            auth.requestMatchers(DASHBOARD)
                .permitAll()
                .requestMatchers("/stats", "/stats/**")
                .hasAnyAuthority(Scopes.authority(Scopes.QUERY), Scopes.authority(Scopes.ADMIN))
                .anyRequest()
                .hasAuthority(Scopes.authority(Scopes.ADMIN)));
  }
}
