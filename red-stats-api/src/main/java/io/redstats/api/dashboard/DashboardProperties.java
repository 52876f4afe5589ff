package io.redstats.api.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param notifierWsUrl the notifier's WebSocket entry as the browser sees it (nginx in front of the
 *     notifier nodes)
 */
@ConfigurationProperties("redstats.api")
public record DashboardProperties(
    @DefaultValue("ws://127.0.0.1:8090/alerts") String notifierWsUrl) {}
