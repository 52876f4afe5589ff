package io.redstats.api.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-token request budget for the query endpoints.
 *
 * @param perSecond sustained requests a token subject may make; a dashboard refreshing every few
 *     seconds uses well under one
 * @param burst requests allowed at once after a pause (a page load asks for counts and a series)
 */
@ConfigurationProperties("redstats.api.rate-limit")
public record RateLimitProperties(
    @DefaultValue("20") double perSecond, @DefaultValue("40") int burst) {}
