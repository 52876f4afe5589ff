package io.redstats.notifier.subscription;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * This node's identity and liveness in PostgreSQL.
 *
 * @param nodeId the node's name in {@code client_connections}; blank means host name and port
 * @param heartbeatInterval how often the node heartbeats and reaps dead nodes' rows
 * @param nodeTimeout a node whose heartbeat is older than this is dead and its rows inactive; three
 *     heartbeats, so one slow database round trip does not reap a live node
 */
@ConfigurationProperties("redstats.notifier")
public record NodeProperties(
    @DefaultValue("") String nodeId,
    @DefaultValue("5s") Duration heartbeatInterval,
    @DefaultValue("15s") Duration nodeTimeout) {}
