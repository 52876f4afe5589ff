package io.redstats.kit;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The actuator and OpenAPI settings every service shares, as defaults: a service's own {@code
 * application.yml}, the environment and the command line all override them.
 */
public class ServiceKitDefaults implements EnvironmentPostProcessor {

  static final String SOURCE = "redstatsServiceKitDefaults";

  static final Map<String, Object> DEFAULTS =
      Map.of(
          // Health details name paths, disk sizes and dependencies: for operators only. The
          // status alone stays public for load balancers and the start script.
          "management.endpoint.health.show-details", "when-authorized",
          "management.endpoint.health.roles", "SCOPE_admin",
          "management.endpoint.health.probes.enabled", "true",
          // The OpenAPI document and Swagger UI at the same paths on every service; both are
          // public and hold no data (see BearerSecurityAutoConfiguration.PUBLIC_DOCS).
          "springdoc.api-docs.path", "/v3/api-docs",
          "springdoc.swagger-ui.path", "/swagger-ui.html");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE, DEFAULTS));
  }
}
