package io.redstats.ingest.security;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import io.redstats.ingest.ingest.ErrorBody;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint but health wants a signed token (verified locally, no look-up per request): {@code
 * POST /stats} the scope {@code ingest}, the Prometheus endpoint {@code admin}. Refusals are JSON
 * like every other error of this service.
 */
@Configuration
class SecurityConfig {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Bean
  JwtDecoder jwtDecoder(SecurityProperties properties) {
    if (properties.jwtSecret() == null || properties.jwtSecret().isBlank()) {
      throw new IllegalStateException("redstats.security.jwt-secret must be set");
    }
    return JwtSupport.decoder(properties.jwtSecret());
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, JwtDecoder decoder) throws Exception {
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/actuator/health", "/actuator/health/**", "/error")
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, "/stats", "/bench/noop")
                    .hasAuthority(Scopes.authority(Scopes.INGEST))
                    .requestMatchers("/actuator/**")
                    .hasAuthority(Scopes.authority(Scopes.ADMIN))
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(jwt -> jwt.decoder(decoder))
                    .authenticationEntryPoint(
                        (request, response, e) ->
                            write(
                                response,
                                HttpServletResponse.SC_UNAUTHORIZED,
                                "a valid bearer token is required: " + e.getMessage()))
                    .accessDeniedHandler(
                        (request, response, e) ->
                            write(
                                response,
                                HttpServletResponse.SC_FORBIDDEN,
                                "the token lacks the scope this endpoint needs")))
        .exceptionHandling(
            ex ->
                ex.authenticationEntryPoint(
                        (request, response, e) ->
                            write(
                                response,
                                HttpServletResponse.SC_UNAUTHORIZED,
                                "a bearer token is required"))
                    .accessDeniedHandler(
                        (request, response, e) ->
                            write(
                                response,
                                HttpServletResponse.SC_FORBIDDEN,
                                "the token lacks the scope this endpoint needs")));
    return http.build();
  }

  private static void write(HttpServletResponse response, int status, String message)
      throws IOException {
    response.setStatus(status);
    if (status == HttpServletResponse.SC_UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    JSON.writeValue(response.getOutputStream(), ErrorBody.of(message));
  }
}
