package io.redstats.ingest.security;

import io.redstats.contract.auth.BearerSecurity;
import io.redstats.contract.auth.Scopes;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Every endpoint but health wants a signed token (verified locally, no look-up per request): {@code
 * POST /stats} the scope {@code ingest}, the Prometheus endpoint {@code admin} ({@link
 * BearerSecurity} holds what every service shares). Refusals are JSON like every other error of
 * this service.
 */
@Configuration
class SecurityConfig {

  @Bean
  JwtDecoder jwtDecoder(SecurityProperties properties) {
    return BearerSecurity.decoder(properties.jwtSecret());
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    return BearerSecurity.chain(
        http,
        auth ->
            auth.requestMatchers(
                    HttpMethod.POST, "/stats", "/bench/noop", "/internal/images/lookup")
                .hasAuthority(Scopes.authority(Scopes.INGEST))
                .requestMatchers(HttpMethod.GET, "/conflicts")
                .hasAnyAuthority(Scopes.authority(Scopes.INGEST), Scopes.authority(Scopes.ADMIN))
                .anyRequest()
                .authenticated(),
        unauthorized(),
        forbidden());
  }

  /**
   * 401 with a bare {@code WWW-Authenticate: Bearer} (the README's promise; Spring's own entry
   * point adds error and resource-metadata attributes) and words that tell a missing token from a
   * bad one.
   */
  private static AuthenticationEntryPoint unauthorized() {
    return (request, response, e) -> {
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
      BearerSecurity.writeJson(
          response,
          e instanceof OAuth2AuthenticationException
              ? "a valid bearer token is required: " + e.getMessage()
              : "a bearer token is required");
    };
  }

  /** 403 with the JSON body only. */
  private static AccessDeniedHandler forbidden() {
    return (request, response, e) -> {
      response.setStatus(HttpServletResponse.SC_FORBIDDEN);
      BearerSecurity.writeJson(response, "the token lacks the scope this endpoint needs");
    };
  }
}
