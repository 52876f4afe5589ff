package io.redstats.red.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param jwtSecret the deployment's shared HS256 secret (at least 32 bytes); no default in
 *     production, RED refuses to start without it
 */
@ConfigurationProperties("redstats.security")
public record SecurityProperties(String jwtSecret) {}
