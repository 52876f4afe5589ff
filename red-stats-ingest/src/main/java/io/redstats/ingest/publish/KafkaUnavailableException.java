package io.redstats.ingest.publish;

import java.time.Duration;

/** Kafka did not acknowledge every record of a request in time: the client should retry later. */
public final class KafkaUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  public KafkaUnavailableException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
