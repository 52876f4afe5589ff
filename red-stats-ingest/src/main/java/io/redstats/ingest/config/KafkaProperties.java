package io.redstats.ingest.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the broker is and how the topics are created.
 *
 * @param bootstrapServers the brokers, comma separated
 * @param partitions partitions of every topic this service creates; 6 lets up to six dedup threads
 *     (or nodes) share the work and can only be raised later, never lowered
 * @param replicationFactor 1 for a single local broker; 3 in a real cluster
 */
@ConfigurationProperties("redstats.kafka")
public record KafkaProperties(
    @DefaultValue("127.0.0.1:9092") String bootstrapServers,
    @DefaultValue("6") int partitions,
    @DefaultValue("1") short replicationFactor) {}
