package io.redstats.kit.security;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * What a service adds to the common security rules: its URL rules, applied after the common ones
 * (first match wins), and the words of its 403. A service declares one bean of this type; without
 * one, every endpoint but the common open ones wants any valid token.
 */
public interface UrlRules {

  /** The 403's message when no service says otherwise. */
  String MISSING_SCOPE = "the token lacks the scope this endpoint needs";

  /** Adds the service's rules to the registry. */
  void customize(
      AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry
          auth);

  /** The message of a 403: a valid token without the scope a rule wants. */
  default String missingScope() {
    return MISSING_SCOPE;
  }

  /** Rules with the 403 message {@code missingScope}. */
  static UrlRules of(
      String missingScope,
      Customizer<
              AuthorizeHttpRequestsConfigurer<HttpSecurity>
                  .AuthorizationManagerRequestMatcherRegistry>
          rules) {
    return new UrlRules() {
      @Override
      public void customize(
          AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry
              auth) {
        rules.customize(auth);
      }

      @Override
      public String missingScope() {
        return missingScope;
      }
    };
  }
}
