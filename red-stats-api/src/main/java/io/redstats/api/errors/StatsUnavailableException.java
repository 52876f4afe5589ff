package io.redstats.api.errors;

/** ClickHouse did not answer in time (down, overloaded, restarting). Answered with 503. */
public class StatsUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StatsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
