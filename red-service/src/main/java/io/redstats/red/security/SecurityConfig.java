package io.redstats.red.security;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import io.redstats.red.errors.ErrorBody;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every endpoint but health and the static upload page wants a bearer token; uploads and reading
 * results want scope {@code upload}, metrics scope {@code admin}. Tokens are verified locally with
 * the shared secret — no database look-up per request. Refusals carry the usual {@code
 * WWW-Authenticate} header and a JSON body.
 */
@Configuration
class SecurityConfig {

  @Bean
  JwtDecoder jwtDecoder(SecurityProperties properties) {
    return JwtSupport.decoder(properties.jwtSecret());
  }

  @Bean
  SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
    BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();
    BearerTokenAccessDeniedHandler deniedHandler = new BearerTokenAccessDeniedHandler();
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .requestMatchers(
                        HttpMethod.GET, "/", "/index.html", "/upload.js", "/favicon.ico")
                    .permitAll()
                    .requestMatchers("/actuator/**")
                    .hasAuthority(Scopes.authority(Scopes.ADMIN))
                    .requestMatchers("/images", "/images/**")
                    .hasAuthority(Scopes.authority(Scopes.UPLOAD))
                    .requestMatchers("/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(
                        (request, response, e) -> {
                          entryPoint.commence(request, response, e);
                          writeJson(response, "a valid bearer token is required");
                        })
                    .accessDeniedHandler(
                        (request, response, e) -> {
                          deniedHandler.handle(request, response, e);
                          writeJson(response, "the token lacks the scope this endpoint wants");
                        }))
        .exceptionHandling(
            ex ->
                ex.authenticationEntryPoint(
                        (request, response, e) -> {
                          entryPoint.commence(request, response, e);
                          writeJson(response, "a valid bearer token is required");
                        })
                    .accessDeniedHandler(
                        (request, response, e) -> {
                          deniedHandler.handle(request, response, e);
                          writeJson(response, "the token lacks the scope this endpoint wants");
                        }));
    return http.build();
  }

  private static void writeJson(HttpServletResponse response, String message) throws IOException {
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.getOutputStream().write(ErrorBody.json(message).getBytes(StandardCharsets.UTF_8));
  }
}
