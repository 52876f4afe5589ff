package io.redstats.api.security;

import io.redstats.contract.auth.BearerSecurity;
import io.redstats.contract.auth.Scopes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Promise 6: every data endpoint wants a signed token with scope {@code query} (or {@code admin}),
 * verified locally with the shared secret. Public are only health and the pages that hold no data
 * (the dashboard shell, the OpenAPI document and Swagger UI): the page asks for the token itself.
 * What every service shares (health, actuator, stateless bearer JWTs, JSON refusals) is in {@link
 * BearerSecurity}.
 */
@Configuration
class SecurityConfig {

  private static final String[] PUBLIC = {
    "/",
    "/dashboard",
    "/dashboard.html",
    "/dashboard/**",
    "/swagger-ui.html",
    "/swagger-ui/**",
    "/v3/api-docs",
    "/v3/api-docs/**",
    "/favicon.ico"
  };

  @Bean
  JwtDecoder jwtDecoder(SecurityProperties properties) {
    return BearerSecurity.decoder(properties.jwtSecret());
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    return BearerSecurity.chain(
        http,
        auth ->
            auth.requestMatchers(PUBLIC)
                .permitAll()
                .requestMatchers("/stats", "/stats/**")
                .hasAnyAuthority(Scopes.authority(Scopes.QUERY), Scopes.authority(Scopes.ADMIN))
                .anyRequest()
                .hasAuthority(Scopes.authority(Scopes.ADMIN)),
        BearerSecurity.unauthorized(e -> "a valid bearer token is required: " + e.getMessage()),
        BearerSecurity.forbidden("this token lacks the scope for this endpoint (query or admin)"));
  }
}
