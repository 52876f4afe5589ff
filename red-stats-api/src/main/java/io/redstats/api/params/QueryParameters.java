package io.redstats.api.params;

import io.redstats.api.errors.BadParametersException;
import io.redstats.contract.event.AsciiNumbers;
import io.redstats.contract.event.FieldError;
import io.redstats.contract.event.InvalidValueException;
import io.redstats.contract.event.IsoTimestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the raw query parameters into a {@link StatsQuery} or {@link SeriesQuery}, or refuses them
 * naming every bad one at once, so a caller fixes all of them in one round trip.
 */
public final class QueryParameters {

  public static final String FROM = "from";
  public static final String TO = "to";
  public static final String RED = "red";
  public static final String CLIENT_ID = "client_id";
  public static final String STEP = "step";

  /**
   * ClickHouse {@code DateTime} holds unsigned 32-bit seconds since 1970: a bound outside cannot
   * match any stored event and would overflow the rollups' time columns.
   */
  static final long MAX_EPOCH_MS = 4_294_967_295_000L;

  /** A chart draws 10 000 points comfortably; more is a mistake in the step or the range. */
  public static final int MAX_BUCKETS = 10_000;

  /*
   * Every parameter has a strict ASCII grammar, matched against the value exactly as sent: nothing
   * is stripped (String.strip() takes U+2028 as whitespace, Long.parseLong takes Arabic-Indic
   * digits), no sign where none belongs. A value that does not match is refused naming its
   * parameter. [0-9] rather than \\d, so the patterns stay ASCII whatever flags change. red and
   * client_id follow the contract's AsciiNumbers, the same rule as the notifier's min_red and
   * client_id; an ISO-8601 from or to follows the contract's IsoTimestamps, the same rule as an
   * event's timestamp at ingest.
   */

  /** Epoch milliseconds; the range check comes after parsing, so a sign is allowed here. */
  private static final Pattern EPOCH_MILLIS = Pattern.compile("-?[0-9]{1,19}");

  private QueryParameters() {}

  public static StatsQuery stats(String from, String to, String red, String clientId) {
    List<FieldError> errors = new ArrayList<>();
    StatsQuery query = parse(from, to, red, clientId, errors);
    throwIfAny(errors);
    return query;
  }

  public static SeriesQuery series(
      String from, String to, String step, String red, String clientId) {
    List<FieldError> errors = new ArrayList<>();
    StatsQuery range = parse(from, to, red, clientId, errors);
    Step parsedStep = step(step, errors);
    throwIfAny(errors);
    SeriesQuery query = new SeriesQuery(range, parsedStep);
    if (query.bucketCount() > MAX_BUCKETS) {
      throwIfAny(
          List.of(
              error(
                  STEP,
                  "gives "
                      + query.bucketCount()
                      + " buckets for this range, at most "
                      + MAX_BUCKETS
                      + " are allowed: choose a larger step or a shorter range")));
    }
    return query;
  }

  private static StatsQuery parse(
      String from, String to, String red, String clientId, List<FieldError> errors) {
    Long fromMs = instant(FROM, from, errors);
    Long toMs = instant(TO, to, errors);
    Integer units = threshold(red, errors);
    Long client = clientId(clientId, errors);
    if (fromMs != null && toMs != null && toMs <= fromMs) {
      errors.add(error(TO, "must be after from"));
    }
    if (!errors.isEmpty()) {
      return null;
    }
    return new StatsQuery(fromMs, toMs, units, client);
  }

  static Long instant(String name, String value, List<FieldError> errors) {
    if (isMissing(value)) {
      errors.add(error(name, "is required"));
      return null;
    }
    long millis;
    try {
      millis = epochMillis(value);
    } catch (InvalidValueException e) {
      errors.add(error(name, e.getMessage()));
      return null;
    }
    if (millis < 0 || millis > MAX_EPOCH_MS) {
      errors.add(error(name, "must be between 1970-01-01T00:00:00Z and 2106-02-07T06:28:15Z"));
      return null;
    }
    return millis;
  }

  private static long epochMillis(String value) throws InvalidValueException {
    if (!EPOCH_MILLIS.matcher(value).matches()) {
      return IsoTimestamps.epochMillis(value);
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      // beyond 64 bits: the same words as any other value in neither form
      throw new InvalidValueException(IsoTimestamps.NOT_A_TIMESTAMP);
    }
  }

  static Integer threshold(String value, List<FieldError> errors) {
    try {
      return AsciiNumbers.redThreshold(value);
    } catch (InvalidValueException e) {
      errors.add(error(RED, e.getMessage()));
      return null;
    }
  }

  static Long clientId(String value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    try {
      return AsciiNumbers.positiveLong(value);
    } catch (InvalidValueException e) {
      errors.add(error(CLIENT_ID, e.getMessage()));
      return null;
    }
  }

  private static Step step(String value, List<FieldError> errors) {
    if (isMissing(value)) {
      errors.add(error(STEP, "is required, one of " + Step.labels()));
      return null;
    }
    return Step.of(value)
        .orElseGet(
            () -> {
              errors.add(error(STEP, "must be one of " + Step.labels()));
              return null;
            });
  }

  private static FieldError error(String field, String message) {
    return FieldError.of(null, field, message);
  }

  /** Absent or empty; anything else, whitespace included, must match the grammar. */
  private static boolean isMissing(String value) {
    return value == null || value.isEmpty();
  }

  private static void throwIfAny(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new BadParametersException(errors);
    }
  }
}
