package io.redstats.red.delivery;

import java.time.Duration;

/** What one POST of a batch to one ingest URL came to. */
sealed interface Outcome {

  /** 2xx: ingest has every event of the batch. */
  record Accepted() implements Outcome {}

  /** 400/413/422: ingest refuses the content; sending it again will not help. */
  record Rejected(String error) implements Outcome {}

  /**
   * 409: ingest already has another image under one of these ids (another producer's, with other
   * content); final, RED's image is not in RED_STATS under that id.
   */
  record Conflict(String error) implements Outcome {}

  /**
   * 503, other 5xx, 401/403/404, timeouts, refused connections: the same batch may succeed later or
   * at another URL.
   *
   * @param retryAfter what the server asked for, or null when it said nothing
   */
  record Retry(String error, Duration retryAfter) implements Outcome {}
}
