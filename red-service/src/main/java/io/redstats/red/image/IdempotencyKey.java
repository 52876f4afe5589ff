package io.redstats.red.image;

import org.springframework.http.HttpStatus;

/** A client's {@code Idempotency-Key}: the same key (per client) is the same upload. */
record IdempotencyKey(String value) {

  static final String HEADER = "Idempotency-Key";

  /** Long enough for a UUID or a hex SHA-256 with a prefix; bounded so it indexes cheaply. */
  static final int MAX_LENGTH = 255;

  /** The key of a request, or null when it sent none. */
  static IdempotencyKey of(String header) {
    if (header == null) {
      return null;
    }
    if (header.isEmpty() || header.length() > MAX_LENGTH || !isVisibleAscii(header)) {
      throw new ImageRejectedException(
          HttpStatus.BAD_REQUEST,
          HEADER,
          "must be 1 to " + MAX_LENGTH + " visible ASCII characters");
    }
    return new IdempotencyKey(header);
  }

  private static boolean isVisibleAscii(String s) {
    return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}
