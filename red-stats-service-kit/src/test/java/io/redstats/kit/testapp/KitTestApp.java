package io.redstats.kit.testapp;

import io.redstats.contract.auth.Scopes;
import io.redstats.kit.security.Caller;
import io.redstats.kit.security.UrlRules;
import io.redstats.kit.security.VisibilityRule;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A service as small as can be: one URL rule, its words, and endpoints that fail on request. */
@SpringBootApplication
public class KitTestApp {

  public static final String MISSING_SCOPE = "the token lacks scope query";

  @Bean
  UrlRules urlRules() {
    return UrlRules.of(
        MISSING_SCOPE,
        auth ->
            auth.requestMatchers("/counts", "/echo", "/boom")
                .hasAuthority(Scopes.authority(Scopes.QUERY))
                .anyRequest()
                .authenticated());
  }

  @RestController
  static class Endpoints {

    private final VisibilityRule visibility;

    Endpoints(VisibilityRule visibility) {
      this.visibility = visibility;
    }

    @GetMapping(path = "/counts", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> counts(@RequestParam(name = "client_id", required = false) Long clientId) {
      Caller caller = Caller.current().orElseThrow();
      Long visible = visibility.visibleClient(caller, clientId);
      return Map.of("client_id", visible == null ? "all" : visible);
    }

    @PostMapping(path = "/echo", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> echo(@RequestBody Map<String, Object> body) {
      return body;
    }

    @GetMapping("/boom")
    String boom() {
      throw new IllegalStateException("a bug");
    }
  }
}
