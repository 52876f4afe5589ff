package io.redstats.api.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code redstats.visibility}: {@code own} (default) or {@code all}. */
@ConfigurationProperties("redstats")
public record VisibilityProperties(@DefaultValue("own") Visibility visibility) {}
