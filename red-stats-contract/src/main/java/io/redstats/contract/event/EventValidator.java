package io.redstats.contract.event;

import static io.redstats.contract.event.EventFields.CLIENT_ID;
import static io.redstats.contract.event.EventFields.IMAGE_ID;
import static io.redstats.contract.event.EventFields.RED;
import static io.redstats.contract.event.EventFields.TIMESTAMP;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Turns one JSON value into a {@link StatEvent}, or into every reason it is not one.
 *
 * <p>Unknown fields are ignored: a required field with a typo is still reported as missing, and a
 * newer RED may add fields without breaking older ingest nodes.
 */
public final class EventValidator {

  private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

  private final TimestampWindow window;

  public EventValidator(TimestampWindow window) {
    this.window = window;
  }

  /** The outcome for one item: an event, or the errors that name what is wrong with it. */
  public record Result(StatEvent event, List<FieldError> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  /**
   * Validates one item.
   *
   * @param index the item's position in a batch, or null for a single object
   */
  public Result validate(JsonNode node, Integer index) {
    List<FieldError> errors = new ArrayList<>();
    if (node == null || !node.isObject()) {
      errors.add(
          FieldError.of(
              index, null, "must be a JSON object with image_id, client_id, timestamp and red"));
      return new Result(null, errors);
    }
    Long imageId = positiveLong(node, IMAGE_ID, index, errors);
    Long clientId = positiveLong(node, CLIENT_ID, index, errors);
    Long timestamp = timestamp(node, index, errors);
    Integer red = red(node, index, errors);
    if (!errors.isEmpty()) {
      return new Result(null, errors);
    }
    return new Result(new StatEvent(imageId, clientId, timestamp, red), List.of());
  }

  private static Long positiveLong(
      JsonNode node, String field, Integer index, List<FieldError> errors) {
    JsonNode value = node.get(field);
    if (isMissing(value)) {
      errors.add(FieldError.of(index, field, "is required"));
      return null;
    }
    if (!value.isIntegralNumber()) {
      errors.add(FieldError.of(index, field, "must be a positive 64-bit integer"));
      return null;
    }
    BigInteger number = value.bigIntegerValue();
    if (number.signum() <= 0 || number.compareTo(MAX_LONG) > 0) {
      errors.add(FieldError.of(index, field, "must be a positive 64-bit integer"));
      return null;
    }
    return number.longValueExact();
  }

  private Long timestamp(JsonNode node, Integer index, List<FieldError> errors) {
    JsonNode value = node.get(TIMESTAMP);
    if (isMissing(value)) {
      errors.add(FieldError.of(index, TIMESTAMP, "is required"));
      return null;
    }
    Long millis = epochMillis(value);
    if (millis == null) {
      errors.add(FieldError.of(index, TIMESTAMP, IsoTimestamps.NOT_A_TIMESTAMP));
      return null;
    }
    String problem = window.problemWith(millis);
    if (problem != null) {
      errors.add(FieldError.of(index, TIMESTAMP, problem));
      return null;
    }
    return millis;
  }

  private static Long epochMillis(JsonNode value) {
    if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? value.longValue() : null;
    }
    if (!value.isString()) {
      return null;
    }
    try {
      return IsoTimestamps.epochMillis(value.stringValue());
    } catch (InvalidValueException e) {
      return null;
    }
  }

  private static Integer red(JsonNode node, Integer index, List<FieldError> errors) {
    JsonNode value = node.get(RED);
    if (isMissing(value)) {
      errors.add(FieldError.of(index, RED, "is required"));
      return null;
    }
    if (!value.isNumber()) {
      errors.add(FieldError.of(index, RED, "must be a number between 0 and 1"));
      return null;
    }
    if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
      errors.add(FieldError.of(index, RED, "must be a finite number between 0 and 1"));
      return null;
    }
    BigDecimal fraction = value.decimalValue();
    if (!Red.isFraction(fraction)) {
      errors.add(FieldError.of(index, RED, "must be between 0 and 1"));
      return null;
    }
    return Red.toUnits(fraction);
  }

  private static boolean isMissing(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }
}
