package io.redstats.red.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where and how RED delivers measurements to RED_STATS.
 *
 * @param ingestUrls base URLs of ingest nodes, tried in turn (RED posts to {@code <url>/stats})
 * @param producerToken a fixed JWT with scope {@code ingest}, used as is when set (discouraged: a
 *     token that cannot be renewed must be long-lived); unset, RED signs its own short-lived
 *     producer tokens with the deployment's secret
 * @param producerTokenTtl how long a token RED signs for itself is valid; a new one is signed when
 *     half of it has passed, so a token in flight never expires and a leaked one is soon useless
 * @param delivery timing and batching of the dispatcher
 */
@ConfigurationProperties("redstats.red")
public record DeliveryProperties(
    @DefaultValue("http://127.0.0.1:8081") List<URI> ingestUrls,
    String producerToken,
    @DefaultValue("10m") Duration producerTokenTtl,
    @DefaultValue Delivery delivery) {

  public DeliveryProperties {
    if (ingestUrls == null || ingestUrls.isEmpty()) {
      throw new IllegalArgumentException("redstats.red.ingest-urls needs at least one URL");
    }
    if (producerTokenTtl.toSeconds() < 2) {
      throw new IllegalArgumentException("redstats.red.producer-token-ttl must be at least 2s");
    }
    ingestUrls = List.copyOf(ingestUrls);
  }

  /**
   * @param batchSize most events in one POST when a backlog has built up; ingest takes JSON arrays,
   *     and 500 events (~40 KB) keep a request well under a second on a slow link
   * @param connectTimeout how long a connection attempt to one ingest URL may take before failing
   *     over; a live node on the same network answers in milliseconds
   * @param readTimeout how long to wait for ingest's answer; ingest answers after Kafka acks,
   *     normally within tens of milliseconds, so 10 s means it is stuck
   * @param initialBackoff first wait after a failed attempt on one URL; doubles per failure
   * @param maxBackoff the longest wait between attempts on one URL (without Retry-After)
   * @param maxRetryAfter the longest Retry-After honoured; a larger one is cut to this so a
   *     misconfigured proxy cannot park deliveries for hours
   * @param idlePoll how often the outbox is looked at when no upload woke the dispatcher (uploads
   *     from another RED node sharing the database, rows left by a restart)
   */
  public record Delivery(
      @DefaultValue("500") int batchSize,
      @DefaultValue("2s") Duration connectTimeout,
      @DefaultValue("10s") Duration readTimeout,
      @DefaultValue("200ms") Duration initialBackoff,
      @DefaultValue("30s") Duration maxBackoff,
      @DefaultValue("5m") Duration maxRetryAfter,
      @DefaultValue("1s") Duration idlePoll) {}
}
