package io.redstats.notifier.socket;

/** A parameter or message that breaks the alert protocol; the message names the field. */
public final class ProtocolException extends RuntimeException {

  private final String field;

  public ProtocolException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
