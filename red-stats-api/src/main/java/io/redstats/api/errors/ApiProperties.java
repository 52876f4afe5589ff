package io.redstats.api.errors;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the API answers when ClickHouse cannot.
 *
 * @param unavailableRetryAfter the {@code Retry-After} of a 503: long enough for a ClickHouse
 *     restart to finish, short enough that a dashboard refreshes soon after
 */
@ConfigurationProperties("redstats.api")
public record ApiProperties(@DefaultValue("5s") Duration unavailableRetryAfter) {}
