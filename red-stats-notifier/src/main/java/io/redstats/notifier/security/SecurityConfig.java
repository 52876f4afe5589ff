package io.redstats.notifier.security;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP security: health is open; {@code /alerts} authenticates in its own handshake (it also takes
 * the token as a query parameter, for browsers); everything else wants scope admin.
 */
@Configuration
@EnableConfigurationProperties({SecurityProperties.class, VisibilityProperties.class})
public class SecurityConfig {

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
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .requestMatchers("/alerts", "/error")
                    .permitAll()
                    .anyRequest()
                    .hasAuthority(Scopes.authority(Scopes.ADMIN)))
        .oauth2ResourceServer(oauth -> oauth.jwt(Customizer.withDefaults()));
    return http.build();
  }
}
