package io.redstats.ingest.publish;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How requests are written to Kafka (one idempotent producer, acks=all), and how long a request may
 * wait for the acknowledgements before it is answered 503.
 *
 * @param ackTimeout the longest a request waits for every record of it to be acknowledged; then
 *     503. 10 s: longer than a leader election on a healthy cluster, shorter than an HTTP client's
 *     usual 30 s timeout, so the client hears "retry" instead of timing out itself
 * @param maxBlock Kafka's {@code max.block.ms}: the longest {@code send} blocks for metadata or
 *     buffer space. A full buffer means overload, so this is short, and shorter than the ack
 *     timeout
 * @param deliveryTimeout Kafka's {@code delivery.timeout.ms}: the producer gives up on a record
 *     after this long. Shorter than the ack timeout, so during a broker outage a request usually
 *     hears Kafka's own verdict (and is answered 503) before its ack timeout
 * @param retryAfter the {@code Retry-After} a 503 carries
 * @param lingerMs Kafka's {@code linger.ms}. 0: a request's records leave at once; those of
 *     concurrent requests still share produce requests while one is in flight. A linger holds every
 *     request for its full length, and a client that posts one event at a time waits for it on
 *     every request (bench/ingest: 5 ms cut single-event throughput at 16 connections to a third)
 */
@ConfigurationProperties("redstats.publish")
public record PublishProperties(
    @DefaultValue("10s") Duration ackTimeout,
    @DefaultValue("2s") Duration maxBlock,
    @DefaultValue("9s") Duration deliveryTimeout,
    @DefaultValue("5s") Duration retryAfter,
    @DefaultValue("0") int lingerMs) {

  public PublishProperties {
    if (maxBlock.compareTo(ackTimeout) >= 0) {
      throw new IllegalArgumentException(
          "redstats.publish.max-block must be shorter than redstats.publish.ack-timeout: one send"
              + " may block that long and the request must still be answered in time");
    }
  }
}
