package io.redstats.red.outbox;

import java.util.Locale;

/** Where an image's measurement stands with RED_STATS. */
public enum DeliveryStatus {
  /** Accepted by RED, not yet acknowledged by ingest; the dispatcher keeps trying. */
  PENDING,
  /** Ingest answered 202: RED_STATS has it. */
  DELIVERED,
  /** Ingest refused it as invalid (400); final, the error is kept in {@code last_error}. */
  REJECTED,
  /**
   * Ingest holds another image (another producer's, other content) under this image's id: refused
   * with 409, or found later among ingest's refused conflicts. Final.
   */
  CONFLICT;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DeliveryStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
