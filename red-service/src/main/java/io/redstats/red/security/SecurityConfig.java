package io.redstats.red.security;

import io.redstats.contract.auth.Scopes;
import io.redstats.kit.security.UrlRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The static upload page is open; uploads and reading results want scope {@code upload}; every
 * other endpoint any valid token. Health, the actuator for admins, token verification and the JSON
 * refusals are the service kit's.
 */
@Configuration
class SecurityConfig {

  @Bean
  UrlRules urlRules() {
    return UrlRules.of(
        "the token lacks the scope this endpoint wants",
        auth ->
            auth.requestMatchers(HttpMethod.GET, "/", "/index.html", "/upload.js", "/favicon.ico")
                .permitAll()
                .requestMatchers("/images", "/images/**")
                .hasAuthority(Scopes.authority(Scopes.UPLOAD))
                .anyRequest()
                .authenticated());
  }
}
