package io.redstats.notifier.security;

import io.redstats.contract.auth.BearerSecurity;
import io.redstats.contract.auth.Scopes;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP security: health is open; {@code /alerts} authenticates in its own handshake (it also takes
 * the token as a query parameter, for browsers); everything else wants scope admin. What every
 * service shares is in {@link BearerSecurity}; the admin endpoints' 401 and 403 carry the JSON
 * error body in the same words as the handshake's refusals.
 */
@Configuration
@EnableConfigurationProperties({SecurityProperties.class, VisibilityProperties.class})
public class SecurityConfig {

  @Bean
  JwtDecoder jwtDecoder(SecurityProperties properties) {
    return BearerSecurity.decoder(properties.jwtSecret());
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    return BearerSecurity.chain(
        http,
        requests ->
            requests
                .requestMatchers("/alerts")
                .permitAll()
                .anyRequest()
                .hasAuthority(Scopes.authority(Scopes.ADMIN)),
        BearerSecurity.unauthorized(
            e ->
                e instanceof OAuth2AuthenticationException
                    ? "invalid token: " + e.getMessage()
                    : "a bearer token is required"),
        BearerSecurity.forbidden("the token lacks scope admin"));
  }
}
