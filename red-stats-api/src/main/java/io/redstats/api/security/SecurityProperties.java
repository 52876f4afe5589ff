package io.redstats.api.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param jwtSecret the HS256 secret shared by the deployment (at least 32 bytes); no default, so a
 *     service that was not given one refuses to start rather than accept tokens anyone can mint
 */
@ConfigurationProperties("redstats.security")
public record SecurityProperties(String jwtSecret) {}
