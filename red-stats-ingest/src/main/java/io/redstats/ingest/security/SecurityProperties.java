package io.redstats.ingest.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param jwtSecret the HS256 secret tokens are signed with (at least 32 bytes); no default, a
 *     deployment must set one
 */
@ConfigurationProperties("redstats.security")
public record SecurityProperties(String jwtSecret) {}
