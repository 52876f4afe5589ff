package io.redstats.kit.docs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * For a service that publishes an OpenAPI document: the document declares the bearer scheme and
 * asks for it on every operation, so Swagger UI's "Authorize" takes a token and "Try it out" sends
 * it. The document and Swagger UI themselves are open (they hold no data).
 */
@AutoConfiguration
@ConditionalOnClass(OpenApiCustomizer.class)
public class OpenApiAutoConfiguration {

  /** The scheme's name in the document. */
  public static final String SCHEME = "bearer";

  @Bean
  @ConditionalOnMissingBean(name = "bearerOpenApiCustomizer")
  OpenApiCustomizer bearerOpenApiCustomizer() {
    return openApi -> {
      if (openApi.getComponents() == null) {
        openApi.setComponents(new Components());
      }
      openApi
          .getComponents()
          .addSecuritySchemes(
              SCHEME,
              new SecurityScheme()
                  .type(SecurityScheme.Type.HTTP)
                  .scheme("bearer")
                  .bearerFormat("JWT")
                  .description("A RED_STATS token: ./redstats token --scope …"));
      if (openApi.getSecurity() == null || openApi.getSecurity().isEmpty()) {
        openApi.addSecurityItem(new SecurityRequirement().addList(SCHEME));
      }
    };
  }
}
