package io.redstats.api.stats;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at /v3/api-docs and Swagger UI at /swagger-ui.html. */
@Configuration
@OpenAPIDefinition(
    info =
        @Info(
            title = "RED_STATS query API",
            version = "1",
            description =
                "Exact counts of images RED measured, and of those with more red than a"
                    + " threshold. Tokens: ./redstats token --client-id N --scope query"))
@SecurityScheme(
    name = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT")
class OpenApiConfig {}
