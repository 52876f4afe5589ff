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
 */
@ConfigurationProperties("redstats.kafka")
public record FeedProperties(
    @DefaultValue("127.0.0.1:9092") String bootstrapServers,
    @DefaultValue("200ms") Duration pollTimeout,
    @DefaultValue("30s") Duration partitionRefresh,
    @DefaultValue("4") int replayThreads,
    @DefaultValue("30s") Duration replayStallTimeout) {}
