package io.redstats.ingest.sink;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ClickHouse sink's settings.
 *
 * @param enabled run the sink on this node. The sink assigns itself partitions (no consumer group),
 *     so exactly one node of a deployment may run it for a given partition: set it false on the
 *     others, or give each its own {@code partitions}
 * @param partitions the canonical-topic partitions this node writes; empty means all of them
 * @param batchRows flush at this many rows: ClickHouse wants large inserts (≥ 1 000 rows) and 50
 *     000 rows of this table are about 2 MB, quick to send and to retry
 * @param batchTime flush at least this often: 250 ms keeps freshness (202 → row visible) well under
 *     1 s after the dedup's 100 ms commit, and 4 inserts/s is far below the rate at which
 *     MergeTree's background merges fall behind
 * @param maxOffsetSpan a batch never spans more offsets than this in one Kafka partition; it is
 *     also how far back the sink re-reads on resume, which is what makes a partially applied insert
 *     safe (see {@link ClickHouseSink})
 * @param retryInitial first wait after ClickHouse or Kafka failed
 * @param retryMax longest wait between retries; retries never stop
 * @param groupId only names this sink's consumer in broker metrics; no offsets are committed
 */
@ConfigurationProperties("redstats.sink")
public record SinkProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue List<Integer> partitions,
    @DefaultValue("50000") int batchRows,
    @DefaultValue("250ms") Duration batchTime,
    @DefaultValue("50000") long maxOffsetSpan,
    @DefaultValue("500ms") Duration retryInitial,
    @DefaultValue("30s") Duration retryMax,
    @DefaultValue("redstats-clickhouse-sink") String groupId) {}
