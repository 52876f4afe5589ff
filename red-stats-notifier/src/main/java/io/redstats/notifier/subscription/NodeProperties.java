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
 * @param connectionRetention an inactive row of {@code client_connections} older than this is
 *     deleted (at each heartbeat). A client that reconnects within it with its connection key takes
 *     its row over; one that comes back later gets a new row. A day keeps yesterday's subscribers
 *     visible to operators and bounds the table by the connections of a day.
 */
@ConfigurationProperties("redstats.notifier")
public record NodeProperties(
    @DefaultValue("") String nodeId,
    @DefaultValue("5s") Duration heartbeatInterval,
    @DefaultValue("15s") Duration nodeTimeout,
    @DefaultValue("24h") Duration connectionRetention) {}
