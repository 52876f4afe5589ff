package io.redstats.ingest.publish;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a request may wait for Kafka before it is answered 503.
 *
 * @param ackTimeout the longest a request waits for every record of it to be acknowledged; then
 *     503. 10 s: longer than a leader election on a healthy cluster, shorter than an HTTP client's
 *     usual 30 s timeout, so the client hears "retry" instead of timing out itself
 * @param maxBlock the longest {@code send} may block for metadata or buffer space (Kafka's {@code
 *     max.block.ms}); a full buffer means overload, so this is short
 * @param deliveryTimeout Kafka's {@code delivery.timeout.ms}: the producer gives up on a record
 *     after this long, so a record the client was told 503 about is not written much later
 * @param retryAfter the {@code Retry-After} a 503 carries
 * @param lingerMs Kafka's {@code linger.ms}: 5 ms lets concurrent single-event requests share a
 *     produce request at a latency cost well under the network round trip of the client
 */
@ConfigurationProperties("redstats.publish")
public record PublishProperties(
    @DefaultValue("10s") Duration ackTimeout,
    @DefaultValue("2s") Duration maxBlock,
    @DefaultValue("9s") Duration deliveryTimeout,
    @DefaultValue("5s") Duration retryAfter,
    @DefaultValue("5") int lingerMs) {}
