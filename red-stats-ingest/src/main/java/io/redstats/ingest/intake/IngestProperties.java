package io.redstats.ingest.intake;

import io.redstats.contract.event.TimestampWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of {@code POST /stats}.
 *
 * @param maxBatchSize most events one request may carry; 10 000 is what RED's backfill sends and
 *     keeps one request's Kafka wait well under the ack timeout
 * @param maxBodySize largest body read; 8 MB holds 10 000 events even with long ISO timestamps and
 *     a few unknown fields, and bounds the memory one request can take
 * @param earliestTimestamp events stamped before this are refused (no RED existed)
 * @param maxFutureSkew events stamped further ahead of this machine's clock are refused
 */
@ConfigurationProperties("redstats.ingest")
public record IngestProperties(
    @DefaultValue("10000") int maxBatchSize,
    @DefaultValue("8MB") DataSize maxBodySize,
    @DefaultValue("2000-01-01T00:00:00Z") Instant earliestTimestamp,
    @DefaultValue("1d") Duration maxFutureSkew) {

  public TimestampWindow timestampWindow() {
    return new TimestampWindow(earliestTimestamp, maxFutureSkew, Clock.systemUTC());
  }
}
