package io.redstats.red.security;

import io.redstats.contract.auth.BearerSecurity;
import io.redstats.contract.auth.Scopes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every endpoint but health and the static upload page wants a bearer token; uploads and reading
 * results want scope {@code upload}, metrics scope {@code admin}. Tokens are verified locally with
 * the shared secret — no database look-up per request. Refusals carry the usual {@code
 * WWW-Authenticate} header and a JSON body. What every service shares is in {@link BearerSecurity}.
 */
@Configuration
class SecurityConfig {

  @Bean
  JwtDecoder jwtDecoder(SecurityProperties properties) {
    return BearerSecurity.decoder(properties.secret());
  }

  @Bean
  SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
    return BearerSecurity.chain(
        http,
        auth ->
            auth.requestMatchers(HttpMethod.GET, "/", "/index.html", "/upload.js", "/favicon.ico")
                .permitAll()
                .requestMatchers("/images", "/images/**")
                .hasAuthority(Scopes.authority(Scopes.UPLOAD))
                .anyRequest()
                .authenticated(),
        BearerSecurity.unauthorized(e -> "a valid bearer token is required"),
        BearerSecurity.forbidden("the token lacks the scope this endpoint wants"));
  }
}
