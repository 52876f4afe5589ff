package io.redstats.red.outbox;

import io.redstats.contract.event.StatEvent;
import java.time.Instant;

/** One row of the {@code images} table: an accepted image, its red fraction and its delivery. */
public record ImageRecord(
    long imageId,
    long clientId,
    Instant timestamp,
    int redUnits,
    String format,
    int width,
    int height,
    byte[] contentSha256,
    String idempotencyKey,
    DeliveryStatus deliveryStatus,
    int attempts,
    String lastError,
    Instant deliveredAt) {

  /** What RED posts to ingest for this image. */
  public StatEvent toEvent() {
    return new StatEvent(imageId, clientId, timestamp.toEpochMilli(), redUnits);
  }
}
