package io.redstats.contract.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EventValidatorTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final EventValidator validator =
      new EventValidator(
          new TimestampWindow(
              TimestampWindow.DEFAULT_EARLIEST,
              Duration.ofDays(1),
              Clock.fixed(NOW, ZoneOffset.UTC)));

  private EventValidator.Result validate(String json) {
    JsonNode node = JSON.readTree(json);
    return validator.validate(node, null);
  }

  @Test
  void validEventWithEpochMillisIsAccepted() {
    var result =
        validate("{\"image_id\":123,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.85}");
    assertThat(result.errors()).isEmpty();
    assertThat(result.event()).isEqualTo(new StatEvent(123, 7, 1763900000123L, 85000));
  }

  @Test
  void isoTimestampWithOffsetIsConvertedToUtcMillis() {
    var result =
        validate(
            "{\"image_id\":1,\"client_id\":1,\"timestamp\":\"2026-11-23T10:00:00.123+08:00\",\"red\":1}");
    assertThat(result.event().timestampMs())
        .isEqualTo(Instant.parse("2026-11-23T02:00:00.123Z").toEpochMilli());
  }

  @Test
  void timestampWithoutOffsetIsRefusedNotGuessed() {
    var result =
        validate(
            "{\"image_id\":1,\"client_id\":1,\"timestamp\":\"2026-11-23T10:00:00\",\"red\":1}");
    assertThat(result.errors())
        .containsExactly(
            FieldError.of(
                null,
                "timestamp",
                "must be epoch milliseconds or an ISO-8601 date-time with an offset,"
                    + " like 2026-11-23T10:00:00.123+08:00"));
  }

  @Test
  void everyMissingFieldIsNamed() {
    var result = validate("{}");
    assertThat(result.errors())
        .extracting(FieldError::field)
        .containsExactly("image_id", "client_id", "timestamp", "red");
  }

  @Test
  void outOfRangeValuesAreRefusedEachByName() {
    var result =
        validate(
            "{\"image_id\":0,\"client_id\":99999999999999999999,\"timestamp\":946684799999,\"red\":1.00001}");
    assertThat(result.errors())
        .extracting(FieldError::field)
        .containsExactly("image_id", "client_id", "timestamp", "red");
  }

  @Test
  void futureTimestampBeyondSkewIsRefused() {
    long tooLate = NOW.plus(Duration.ofDays(2)).toEpochMilli();
    var result =
        validate("{\"image_id\":1,\"client_id\":1,\"timestamp\":" + tooLate + ",\"red\":0.5}");
    assertThat(result.errors())
        .extracting(FieldError::message)
        .containsExactly("must not be more than PT24H in the future");
  }

  @Test
  void stringsAndFractionsAreNotIds() {
    var result =
        validate(
            "{\"image_id\":\"12\",\"client_id\":1.5,\"timestamp\":1763900000123,\"red\":\"0.5\"}");
    assertThat(result.errors())
        .extracting(FieldError::field)
        .containsExactly("image_id", "client_id", "red");
  }

  @Test
  void redIsRoundedHalfUpToFiveDecimals() {
    assertThat(Red.toUnits(new java.math.BigDecimal("0.850004"))).isEqualTo(85000);
    assertThat(Red.toUnits(new java.math.BigDecimal("0.850005"))).isEqualTo(85001);
    assertThat(Red.isAbove(85000, 85000)).isFalse();
    assertThat(Red.isAbove(85001, 85000)).isTrue();
  }

  @Test
  void canonicalJsonRoundTripsExactly() {
    StatEvent event = new StatEvent(5, 6, 1763900000123L, 84999);
    assertThat(EventJson.toJson(event))
        .isEqualTo("{\"image_id\":5,\"client_id\":6,\"timestamp\":1763900000123,\"red\":0.84999}");
    assertThat(EventJson.fromBytes(EventJson.toBytes(event))).isEqualTo(event);
  }
}
