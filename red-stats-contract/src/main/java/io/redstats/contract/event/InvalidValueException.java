package io.redstats.contract.event;

/**
 * A value sent as text that does not follow its grammar. Checked, so every caller decides which
 * parameter to name and how to refuse: the message says what is wrong ("must be between 0 and 1")
 * but not where.
 */
public final class InvalidValueException extends Exception {

  public InvalidValueException(String message) {
    super(message);
  }
}
