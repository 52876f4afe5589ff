package io.redstats.notifier.feed;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this node reads the canonical topic.
 *
 * @param bootstrapServers the Kafka cluster
 * @param pollTimeout how long one poll waits; bounds how late a shutdown or new partition is seen
 * @param partitionRefresh how often the feed looks for partitions added to the topic
 * @param replayThreads replays running at once; more resuming clients wait their turn
 * @param replayStallTimeout a replay that makes no progress this long fails (close 1011)
 * @param liveBatchWait after a poll that returned records, the live feed waits until this long has
 *     passed since the poll began, so the next fetch takes what arrived meanwhile in one go: at a
 *     high rate one fetch and one hand-off to the sender loops every few milliseconds instead of
 *     one per produce request, while an idle feed still waits in the broker (Kafka's fetch wait)
 *     and costs nothing. It is the most an alert waits for company; 0 turns it off.
 */
@ConfigurationProperties("redstats.kafka")
public record FeedProperties(
    @DefaultValue("127.0.0.1:9092") String bootstrapServers,
    @DefaultValue("200ms") Duration pollTimeout,
    @DefaultValue("30s") Duration partitionRefresh,
    @DefaultValue("4") int replayThreads,
    @DefaultValue("30s") Duration replayStallTimeout,
    @DefaultValue("5ms") Duration liveBatchWait) {}
