package io.redstats.contract.event;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One measurement of RED: how much of image {@code imageId} of client {@code clientId} is red.
 *
 * @param imageId positive; identifies the image — a repeat of the same id is the same image
 * @param clientId positive; the client the image belongs to
 * @param timestampMs when RED received the image, epoch milliseconds (UTC)
 * @param redUnits the red fraction in units of {@link Red#SCALE} (0..100000), exact
 */
public record StatEvent(long imageId, long clientId, long timestampMs, int redUnits) {

  public StatEvent {
    if (imageId <= 0) {
      throw new IllegalArgumentException("image_id must be positive: " + imageId);
    }
    if (clientId <= 0) {
      throw new IllegalArgumentException("client_id must be positive: " + clientId);
    }
    if (redUnits < 0 || redUnits > Red.SCALE) {
      throw new IllegalArgumentException("red units out of range: " + redUnits);
    }
  }

  /** The red fraction as an exact decimal with five places. */
  public BigDecimal red() {
    return Red.toDecimal(redUnits);
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMs);
  }
}
