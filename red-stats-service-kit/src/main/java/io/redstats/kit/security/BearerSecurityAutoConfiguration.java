package io.redstats.kit.security;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import io.redstats.kit.ServiceKitProperties;
import io.redstats.kit.errors.ErrorJson;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The HTTP security of every service (promise 6), so a service contributes only a {@link UrlRules}
 * bean: tokens are signed JWTs verified locally with the deployment's secret ({@link
 * JwtSupport#decoder}: HS256, issuer, a required {@code exp}, a well-formed {@code client_id}); no
 * session and no CSRF protection (no cookies, every request carries its token); open are health,
 * {@code /error} and the OpenAPI document with Swagger UI (they hold no data); the rest of the
 * actuator wants scope {@code admin}; then the service's rules. A 401 and a 403 carry Spring's RFC
 * 6750 {@code WWW-Authenticate} and the JSON error body; a request the firewall rejects is a 400 in
 * the same body.
 *
 * <p>Every bean backs off when the service declares its own.
 */
@AutoConfiguration(
    before = {
      ServletWebSecurityAutoConfiguration.class,
      ManagementWebSecurityAutoConfiguration.class,
      OAuth2ResourceServerAutoConfiguration.class,
      UserDetailsServiceAutoConfiguration.class
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ServiceKitProperties.class)
public class BearerSecurityAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(BearerSecurityAutoConfiguration.class);

  /** The 401 of a request without a token. */
  public static final String TOKEN_REQUIRED = "a bearer token is required";

  /** The start of the 401 of a request whose token was refused; the reason follows. */
  public static final String INVALID_TOKEN = "a valid bearer token is required: ";

  /** Open to all: load balancers and the local stack's start script probe these without a token. */
  static final String[] HEALTH = {"/actuator/health", "/actuator/health/**"};

  /**
   * The OpenAPI document and Swagger UI: open, since they describe the API and hold no data; the
   * document declares the bearer scheme, so Swagger UI's "Authorize" asks for the token.
   */
  public static final String[] PUBLIC_DOCS = {
    "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**"
  };

  /** Where Boot forwards an error; open so a refusal's own error dispatch is not refused again. */
  static final String ERROR_PAGE = "/error";

  @Bean
  @ConditionalOnMissingBean
  JwtDecoder jwtDecoder(ServiceKitProperties properties) {
    return JwtSupport.decoder(properties.security().secret());
  }

  @Bean
  @ConditionalOnMissingBean
  VisibilityRule visibilityRule(ServiceKitProperties properties) {
    return new VisibilityRule(properties.visibility());
  }

  @Bean
  @ConditionalOnMissingBean(SecurityFilterChain.class)
  SecurityFilterChain bearerSecurityFilterChain(HttpSecurity http, ObjectProvider<UrlRules> rules)
      throws Exception {
    UrlRules service = rules.getIfAvailable(() -> UrlRules.of(UrlRules.MISSING_SCOPE, anyToken()));
    AuthenticationEntryPoint unauthorized = unauthorized();
    AccessDeniedHandler forbidden = forbidden(service.missingScope());
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            auth -> {
              auth.requestMatchers(HEALTH)
                  .permitAll()
                  .requestMatchers(ERROR_PAGE)
                  .permitAll()
                  .requestMatchers(PUBLIC_DOCS)
                  .permitAll()
                  .requestMatchers("/actuator/**")
                  .hasAuthority(Scopes.authority(Scopes.ADMIN));
              service.customize(auth);
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
   * The firewall's refusals (an encoded slash, a {@code ..} segment, a header value with control
   * characters): the request's fault, so a 400 in the JSON body — Spring's default answers 500.
   */
  @Bean
  @ConditionalOnMissingBean
  RequestRejectedHandler requestRejectedHandler() {
    return (request, response, e) -> {
      LOG.debug("answering 400, the firewall rejected the request: {}", e.getMessage());
      ErrorJson.write(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          "the request's URL, method or headers hold characters or sequences this service refuses");
    };
  }

  /** Every endpoint but the common ones wants a valid token of any scope. */
  private static Customizer<
          org.springframework.security.config.annotation.web.configurers
                      .AuthorizeHttpRequestsConfigurer<
                  HttpSecurity>
              .AuthorizationManagerRequestMatcherRegistry>
      anyToken() {
    return auth -> auth.anyRequest().authenticated();
  }

  /**
   * 401 with Spring's {@code WWW-Authenticate} (RFC 6750: {@code error="invalid_token"} for a bad
   * token) and the JSON body: {@value #TOKEN_REQUIRED}, or {@value #INVALID_TOKEN} and the reason
   * the decoder gave, in its plain words.
   */
  public static AuthenticationEntryPoint unauthorized() {
    BearerTokenAuthenticationEntryPoint standard = new BearerTokenAuthenticationEntryPoint();
    return (request, response, e) -> {
      standard.commence(request, response, e);
      ErrorJson.write(response, response.getStatus(), message(e));
    };
  }

  /** The words of a 401. */
  public static String message(AuthenticationException e) {
    return e instanceof OAuth2AuthenticationException
        ? INVALID_TOKEN + e.getMessage()
        : TOKEN_REQUIRED;
  }

  /**
   * 403 with Spring's {@code WWW-Authenticate} ({@code error="insufficient_scope"}) and the JSON
   * body with {@code message}; a refusal of the {@link VisibilityRule} with its own words and no
   * such header (the scope was fine).
   */
  public static AccessDeniedHandler forbidden(String message) {
    BearerTokenAccessDeniedHandler standard = new BearerTokenAccessDeniedHandler();
    return (request, response, e) -> {
      if (e instanceof VisibilityRule.Denied denied) {
        ErrorJson.write(response, HttpServletResponse.SC_FORBIDDEN, denied.getMessage());
        return;
      }
      standard.handle(request, response, e);
      ErrorJson.write(response, response.getStatus(), message);
    };
  }
}
