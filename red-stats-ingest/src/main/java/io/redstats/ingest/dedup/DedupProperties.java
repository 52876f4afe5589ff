package io.redstats.ingest.dedup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dedup topology's settings.
 *
 * @param enabled run the topology on this node (every node may: they share the partitions)
 * @param applicationId the Kafka Streams application id: nodes with the same id share the work
 * @param retention how long an image_id is remembered; a repeat later than this passes as new. 7
 *     days covers RED's retries, outbox redelivery and a re-run of a week's backfill
 * @param stateDir where the local state store lives; must differ between nodes on one machine
 * @param commitInterval Kafka Streams' {@code commit.interval.ms}: under exactly-once the canonical
 *     record becomes visible only at commit, so this bounds the dedup's share of freshness
 * @param threads stream threads on this node
 * @param sessionTimeout how long a crashed node keeps its partitions before the others take them
 *     over (Kafka's {@code session.timeout.ms}, its default 45 s); a clean stop leaves at once
 * @param advertisedHost the host other ingest nodes reach this one at (Kafka Streams' {@code
 *     application.server}, with {@code server.port}): a node asks the node that owns an image_id's
 *     partition whether the image is known. Empty: this node answers only from its own partitions
 * @param peerTimeout how long a node waits for a peer's answer about known images before it accepts
 *     without that check (the dedup still keeps the first and records the conflict)
 */
@ConfigurationProperties("redstats.dedup")
public record DedupProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("redstats-dedup") String applicationId,
    @DefaultValue("7d") Duration retention,
    String stateDir,
    @DefaultValue("100ms") Duration commitInterval,
    @DefaultValue("1") int threads,
    @DefaultValue("45s") Duration sessionTimeout,
    @DefaultValue("localhost") String advertisedHost,
    @DefaultValue("1s") Duration peerTimeout) {}
