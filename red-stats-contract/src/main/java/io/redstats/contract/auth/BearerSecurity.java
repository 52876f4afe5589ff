package io.redstats.contract.auth;

import io.redstats.contract.event.FieldError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP security every service has in common (promise 6), so each service's {@code
 * SecurityConfig} holds only its own URL rules and the words of its refusals.
 *
 * <p>What is common: tokens are verified locally with the deployment's secret ({@link #decoder});
 * no session and no CSRF protection (there are no cookies, every request carries its bearer token);
 * health and Boot's error page are open, the rest of the actuator wants scope {@code admin}; 401
 * and 403 can carry the JSON error body of {@code docs/CONVENTIONS.md} after Spring's RFC 6750
 * {@code WWW-Authenticate} header.
 *
 * <p>Needs spring-security-config, spring-security-web and the servlet API, which every service has
 * and the contract declares optional or provided, so its other users (the token CLI, the Kafka
 * serdes in tests and benchmarks) do not carry them.
 */
public final class BearerSecurity {

  /** The property every service reads the secret from (env REDSTATS_SECURITY_JWT_SECRET). */
  public static final String SECRET_PROPERTY = "redstats.security.jwt-secret";

  /** Open to all: load balancers and the local stack's start script probe these without a token. */
  private static final String[] HEALTH = {"/actuator/health", "/actuator/health/**"};

  /** Where Boot forwards an error; open so a refusal's own error dispatch is not refused again. */
  private static final String ERROR_PAGE = "/error";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private BearerSecurity() {}

  /** The URL rules a service adds after the common ones, first match wins. */
  public interface UrlRules
      extends Customizer<
          AuthorizeHttpRequestsConfigurer<HttpSecurity>
              .AuthorizationManagerRequestMatcherRegistry> {}

  /**
   * The deployment's token decoder ({@link JwtSupport#decoder}).
   *
   * @throws IllegalStateException when no secret is set: a service without one refuses to start
   *     rather than accept tokens anyone could mint
   */
  public static JwtDecoder decoder(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalStateException(
          SECRET_PROPERTY + " (REDSTATS_SECURITY_JWT_SECRET) must be set");
    }
    return JwtSupport.decoder(secret);
  }

  /**
   * The filter chain: the common rules (health and {@code /error} open, {@code /actuator/**} for
   * admins), then the service's {@code rules}; bearer JWTs checked by the {@link JwtDecoder} bean;
   * every 401 answered by {@code unauthorized} and every 403 by {@code forbidden}, for a bad token
   * as for a missing one.
   */
  public static SecurityFilterChain chain(
      HttpSecurity http,
      UrlRules rules,
      AuthenticationEntryPoint unauthorized,
      AccessDeniedHandler forbidden)
      throws Exception {
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            auth -> {
              auth.requestMatchers(HEALTH)
                  .permitAll()
                  .requestMatchers(ERROR_PAGE)
                  .permitAll()
                  .requestMatchers("/actuator/**")
                  .hasAuthority(Scopes.authority(Scopes.ADMIN));
              rules.customize(auth);
            })
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden))
        .exceptionHandling(
            ex -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden));
    return http.build();
  }

  /**
   * 401 with Spring's {@code WWW-Authenticate} (RFC 6750: {@code error="invalid_token"} for a bad
   * token; RFC 9728's {@code resource_metadata} for a missing one) and the JSON body with {@code
   * message}'s words.
   */
  public static AuthenticationEntryPoint unauthorized(
      Function<AuthenticationException, String> message) {
    BearerTokenAuthenticationEntryPoint standard = new BearerTokenAuthenticationEntryPoint();
    return (request, response, e) -> {
      standard.commence(request, response, e);
      writeJson(response, message.apply(e));
    };
  }

  /**
   * 403 with Spring's {@code WWW-Authenticate} (RFC 6750: {@code error="insufficient_scope"} when a
   * token was given) and the JSON body with {@code message}.
   */
  public static AccessDeniedHandler forbidden(String message) {
    BearerTokenAccessDeniedHandler standard = new BearerTokenAccessDeniedHandler();
    return (request, response, e) -> {
      standard.handle(request, response, e);
      writeJson(response, message);
    };
  }

  /**
   * Writes {@code {"errors":[{"message":...}]}}, the error body of every service, after the status
   * and headers are set.
   */
  public static void writeJson(HttpServletResponse response, String message) throws IOException {
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    JSON.writeValue(
        response.getOutputStream(), Map.of("errors", List.of(FieldError.of(null, null, message))));
  }
}
