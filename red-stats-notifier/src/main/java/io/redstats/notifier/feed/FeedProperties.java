package io.redstats.notifier.feed;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How this node reads the canonical topic.
 *
 * @param bootstrapServers the Kafka cluster
 * @param pollTimeout how long one poll waits; bounds how late a shutdown or new partition is seen
 * @param partitionRefresh how often the feed looks for partitions added to the topic
 * @param replayThreads replays running at once; more resuming clients wait their turn
 * @param replayStallTimeout a replay that makes no progress this long fails (close 1011)
 * @param liveFetchMaxWait how long the broker may hold the live feed's fetch to gather {@code
 *     liveFetchMinBytes}: the most an alert waits for company. With the Kafka default (answer on
 *     the first byte) every produce request of the topic costs the broker and the node a fetch of
 *     its own; gathering a few milliseconds of records cuts that to one fetch per wait.
 * @param liveFetchMinBytes bytes the broker gathers before it answers the live feed's fetch early
 */
@ConfigurationProperties("redstats.kafka")
public record FeedProperties(
    @DefaultValue("127.0.0.1:9092") String bootstrapServers,
    @DefaultValue("200ms") Duration pollTimeout,
    @DefaultValue("30s") Duration partitionRefresh,
    @DefaultValue("4") int replayThreads,
    @DefaultValue("30s") Duration replayStallTimeout,
    @DefaultValue("5ms") Duration liveFetchMaxWait,
    @DefaultValue("64KB") DataSize liveFetchMinBytes) {}
