package io.redstats.contract.event;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The strict ASCII grammar of the numbers a client sends as text, in a query parameter: a red
 * threshold (the api's {@code red}, the notifier's {@code min_red}) and a client id. One rule, so
 * the two services accept and refuse exactly the same values with the same words.
 *
 * <p>The value is matched exactly as sent: nothing is stripped ({@code String.strip()} takes U+2028
 * as whitespace) and no sign is taken. {@code [0-9]} rather than {@code \d}, because {@code
 * BigDecimal} and {@code Long.parseLong} also read other scripts' digits (U+0660 is 0, U+0667 is
 * 7), and the pattern stays ASCII whatever flags change.
 *
 * <p>A refusal is an {@link InvalidValueException} whose message completes a sentence that starts
 * with the parameter's name ("min_red must be between 0 and 1"); the caller names the parameter.
 */
public final class AsciiNumbers {

  public static final String REQUIRED = "is required";

  public static final String NOT_A_DECIMAL = "must be a decimal number between 0 and 1, like 0.85";

  public static final String NOT_A_FRACTION = "must be between 0 and 1";

  public static final String NOT_A_POSITIVE_LONG = "must be a positive 64-bit integer";

  /**
   * Plain decimals only: an exponent like 1e-999999999 would make rounding to five places do a
   * billion-digit division.
   */
  private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]*)?|\\.[0-9]+");

  /** Far more digits than the five that count; longer is a mistake, not a threshold. */
  private static final int MAX_THRESHOLD_LENGTH = 32;

  /** A positive 64-bit integer: digits only, no sign; the range is Long.parseLong's. */
  private static final Pattern POSITIVE_LONG = Pattern.compile("[0-9]{1,19}");

  private AsciiNumbers() {}

  /**
   * A red threshold in {@link Red} units: a plain ASCII decimal in [0, 1] like {@code 0.85}, {@code
   * .5} or {@code 1.}, at most 32 characters, rounded to five decimals as {@link Red#toUnits} does.
   *
   * @param value the value as sent; null or empty when the parameter is absent
   * @throws InvalidValueException when it is absent, not such a decimal, or outside [0, 1]
   */
  public static int redThreshold(String value) throws InvalidValueException {
    if (value == null || value.isEmpty()) {
      throw new InvalidValueException(REQUIRED);
    }
    if (value.length() > MAX_THRESHOLD_LENGTH || !PLAIN_DECIMAL.matcher(value).matches()) {
      throw new InvalidValueException(NOT_A_DECIMAL);
    }
    BigDecimal fraction = new BigDecimal(value);
    if (!Red.isFraction(fraction)) {
      throw new InvalidValueException(NOT_A_FRACTION);
    }
    return Red.toUnits(fraction);
  }

  /**
   * A positive 64-bit integer written in ASCII digits only, like a {@code client_id}. Whether an
   * absent or empty value means "none" is the caller's to decide before calling: here an empty
   * value is refused like any other that is not digits.
   *
   * @throws InvalidValueException when it is not 1 to 19 ASCII digits, is 0, or exceeds 2^63 - 1
   */
  public static long positiveLong(String value) throws InvalidValueException {
    if (value != null && POSITIVE_LONG.matcher(value).matches()) {
      try {
        long number = Long.parseLong(value);
        if (number > 0) {
          return number;
        }
      } catch (NumberFormatException e) {
        // beyond 2^63 - 1: refused below, like a non-positive number
      }
    }
    throw new InvalidValueException(NOT_A_POSITIVE_LONG);
  }
}
