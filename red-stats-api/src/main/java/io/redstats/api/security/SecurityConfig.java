package io.redstats.api.security;

import static org.springframework.security.config.Customizer.withDefaults;

import io.redstats.api.errors.ErrorBody;
import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Promise 6: every data endpoint wants a signed token with scope {@code query} (or {@code admin}),
 * verified locally with the shared secret. Public are only health and the pages that hold no data
 * (the dashboard shell, the OpenAPI document and Swagger UI): the page asks for the token itself.
 */
@Configuration
class SecurityConfig {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String[] PUBLIC = {
    "/actuator/health",
    "/actuator/health/**",
    "/",
    "/dashboard",
    "/dashboard.html",
    "/dashboard/**",
    "/swagger-ui.html",
    "/swagger-ui/**",
    "/v3/api-docs",
    "/v3/api-docs/**",
    "/error",
    "/favicon.ico"
  };

  @Bean
  JwtDecoder jwtDecoder(SecurityProperties properties) {
    if (properties.jwtSecret() == null || properties.jwtSecret().isBlank()) {
      throw new IllegalStateException(
          "redstats.security.jwt-secret (REDSTATS_SECURITY_JWT_SECRET) must be set");
    }
    return JwtSupport.decoder(properties.jwtSecret());
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    AuthenticationEntryPoint unauthorized = jsonEntryPoint();
    AccessDeniedHandler forbidden = jsonAccessDenied();
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(PUBLIC)
                    .permitAll()
                    .requestMatchers("/stats", "/stats/**")
                    .hasAnyAuthority(Scopes.authority(Scopes.QUERY), Scopes.authority(Scopes.ADMIN))
                    .anyRequest()
                    .hasAuthority(Scopes.authority(Scopes.ADMIN)))
        .oauth2ResourceServer(
            o ->
                o.jwt(withDefaults())
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden))
        .exceptionHandling(
            e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden));
    return http.build();
  }

  /** 401 with the standard WWW-Authenticate header and a JSON body like every other error. */
  private static AuthenticationEntryPoint jsonEntryPoint() {
    BearerTokenAuthenticationEntryPoint standard = new BearerTokenAuthenticationEntryPoint();
    return (request, response, e) -> {
      standard.commence(request, response, e);
      write(response, "a valid bearer token is required: " + e.getMessage());
    };
  }

  /** 403 with the standard header and a JSON body naming what is missing. */
  private static AccessDeniedHandler jsonAccessDenied() {
    BearerTokenAccessDeniedHandler standard = new BearerTokenAccessDeniedHandler();
    return (request, response, e) -> {
      standard.handle(request, response, e);
      write(response, "this token lacks the scope for this endpoint (query or admin)");
    };
  }

  private static void write(HttpServletResponse response, String message) throws IOException {
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    JSON.writeValue(response.getOutputStream(), ErrorBody.of(message));
  }
}
