package io.redstats.contract.event;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The one rule for a timestamp sent as an ISO-8601 string: a date-time <b>with</b> an offset, like
 * {@code 2026-11-23T10:00:00.123+08:00} or {@code 2026-11-23T02:00:00Z}; one without an offset is
 * refused, never guessed. Ingest's event {@code timestamp} and the api's {@code from} and {@code
 * to} read it here, so both accept exactly the same strings and refuse the rest in the same words.
 *
 * <p>Epoch milliseconds, the other form every timestamp takes, are the caller's: a JSON number in
 * an event, ASCII digits in a query parameter. A range check (plausible for an event, storable for
 * a query) is the caller's too.
 */
public final class IsoTimestamps {

  /**
   * The refusal of a timestamp in neither form. It names epoch milliseconds too because every field
   * that takes this rule also takes them.
   */
  public static final String NOT_A_TIMESTAMP =
      "must be epoch milliseconds or an ISO-8601 date-time with an offset,"
          + " like 2026-11-23T10:00:00.123+08:00";

  /**
   * Every character {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} can read, up to its longest form
   * (a signed ten-digit year, nine fraction digits, an offset with seconds: {@code
   * +0292278994-08-17T07:12:55.807999999+18:00:00}, 45 characters), so the check refuses nothing
   * java.time would take. It makes ASCII-only a rule of ours rather than of java.time's {@code
   * DecimalStyle}, and keeps a long value away from the parser. {@code [0-9]} rather than {@code
   * \d}, so the pattern stays ASCII whatever flags change.
   */
  private static final Pattern ISO_CHARACTERS = Pattern.compile("[0-9TtZz:.+-]{1,45}");

  private IsoTimestamps() {}

  /**
   * The epoch milliseconds of an ISO-8601 date-time with an offset.
   *
   * @param value the string as sent, nothing stripped; null is refused
   * @throws InvalidValueException ({@link #NOT_A_TIMESTAMP}) when it is not such a date-time or its
   *     instant is beyond what epoch milliseconds in a {@code long} can hold
   */
  public static long epochMillis(String value) throws InvalidValueException {
    if (value == null || !ISO_CHARACTERS.matcher(value).matches()) {
      throw new InvalidValueException(NOT_A_TIMESTAMP);
    }
    try {
      return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant()
          .toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InvalidValueException(NOT_A_TIMESTAMP);
    }
  }
}
