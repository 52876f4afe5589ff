package io.redstats.notifier.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param jwtSecret the HS256 secret shared by every service of the deployment (at least 32 bytes);
 *     no default: a node without one refuses to start
 */
@ConfigurationProperties("redstats.security")
public record SecurityProperties(String jwtSecret) {}
