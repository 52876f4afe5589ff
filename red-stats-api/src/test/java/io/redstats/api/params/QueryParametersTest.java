package io.redstats.api.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.api.errors.BadParametersException;
import io.redstats.contract.event.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParametersTest {

  @Test
  void acceptsEpochMillisAndIsoWithOffsetForTheSameInstant() {
    // Given the same instant written two ways
    StatsQuery epoch = QueryParameters.stats("1763892000000", "1763892060000", "0.85", null);
    StatsQuery iso =
        QueryParameters.stats(
            "2025-11-23T18:00:00+08:00", "2025-11-23T10:01:00.000Z", "0.85", null);

    // Then both parse to the same range
    assertThat(iso).isEqualTo(epoch);
    assertThat(epoch.thresholdUnits()).isEqualTo(85_000);
    assertThat(epoch.clientId()).isNull();
  }

  @Test
  void roundsTheThresholdToFiveDecimalsLikeStoredRed() {
    assertThat(QueryParameters.stats("0", "1", "0.850004", null).thresholdUnits())
        .isEqualTo(85_000);
    assertThat(QueryParameters.stats("0", "1", "0.850005", null).thresholdUnits())
        .isEqualTo(85_001);
    assertThat(QueryParameters.stats("0", "1", "1", null).thresholdUnits()).isEqualTo(100_000);
    assertThat(QueryParameters.stats("0", "1", "0", null).thresholdUnits()).isZero();
  }

  @Test
  void namesEveryMissingParameterAtOnce() {
    assertThat(fieldsOf(() -> QueryParameters.stats(null, "", " ", null)))
        .containsExactly("from", "to", "red");
  }

  @Test
  void refusesATimestampWithoutOffset() {
    assertThat(fieldsOf(() -> QueryParameters.stats("2026-11-23T10:00:00", "1", "0.5", null)))
        .containsExactly("from");
  }

  @Test
  void aTimeInNeitherFormIsRefusedInTheWordsIngestUsesForAnEventsTimestamp() {
    String words =
        "must be epoch milliseconds or an ISO-8601 date-time with an offset,"
            + " like 2026-11-23T10:00:00.123+08:00";
    for (String time :
        List.of(
            "2026-11-23T10:00:00",
            "yesterday",
            "9999999999999999999",
            "99999999999999999999",
            "1.5",
            "+1")) {
      assertThat(messagesOf(() -> QueryParameters.stats(time, "1", "0.5", null)))
          .as("from=%s", time)
          .containsExactly(words);
    }
  }

  @Test
  void takesEveryIsoFormIngestTakesForAnEventsTimestamp() {
    // A padded, signed year with nine fraction digits and an offset with seconds: 45 characters
    StatsQuery q =
        QueryParameters.stats(
            "+0000002026-11-23T10:00:00.123456789+08:00:00", "1795399200124", "0.5", null);

    assertThat(q.fromMs()).isEqualTo(1_795_399_200_123L);
  }

  @Test
  void refusesAReversedOrEmptyRangeNamingTo() {
    assertThat(fieldsOf(() -> QueryParameters.stats("2000", "1000", "0.5", null)))
        .containsExactly("to");
    assertThat(fieldsOf(() -> QueryParameters.stats("1000", "1000", "0.5", null)))
        .containsExactly("to");
  }

  @Test
  void refusesTimesClickHouseCannotHold() {
    assertThat(fieldsOf(() -> QueryParameters.stats("-1", "1000", "0.5", null)))
        .containsExactly("from");
    assertThat(fieldsOf(() -> QueryParameters.stats("0", "4294967296000", "0.5", null)))
        .containsExactly("to");
  }

  @Test
  void refusesThresholdsOutsideZeroToOneAndNonDecimals() {
    for (String red : List.of("-0.1", "1.00001", "abc", "NaN", "1e-999999999", "0x1", "")) {
      assertThat(fieldsOf(() -> QueryParameters.stats("0", "1", red, null)))
          .as("red=%s", red)
          .containsExactly("red");
    }
  }

  @Test
  void refusesClientIdsThatAreNotPositive64BitIntegers() {
    for (String client : List.of("0", "-3", "x", "9223372036854775808", "")) {
      assertThat(fieldsOf(() -> QueryParameters.stats("0", "1", "0.5", client)))
          .as("client_id=%s", client)
          .containsExactly("client_id");
    }
    assertThat(QueryParameters.stats("0", "1", "0.5", "7").clientId()).isEqualTo(7L);
  }

  @Test
  void thresholdAndClientIdRefusalsSayWhatIsWrong() {
    assertThat(messagesOf(() -> QueryParameters.stats("0", "1", "", null)))
        .containsExactly("is required");
    assertThat(messagesOf(() -> QueryParameters.stats("0", "1", "0.5\u0660", null)))
        .containsExactly("must be a decimal number between 0 and 1, like 0.85");
    assertThat(messagesOf(() -> QueryParameters.stats("0", "1", "1.5", null)))
        .containsExactly("must be between 0 and 1");
    assertThat(messagesOf(() -> QueryParameters.stats("0", "1", "0.5", "0")))
        .containsExactly("must be a positive 64-bit integer");
  }

  @Test
  void everyNumberMustBeAsciiDigitsExactlyAsSentWithNothingStripped() {
    // Given Unicode whitespace around, and non-ASCII digits inside, otherwise good numbers
    List<String> bad =
        List.of(
            "5\u2028", // LINE SEPARATOR, which String.strip() removes
            "\u20285", " 5", "5\t", "5\u0000",
            "\u0665", // ARABIC-INDIC DIGIT FIVE, which Long.parseLong takes as 5
            "\uFF15", // FULLWIDTH DIGIT FIVE
            "+5");
    for (String n : bad) {
      assertThat(fieldsOf(() -> QueryParameters.stats("0", "1", "0." + n, null)))
          .as("red=0.%s", n)
          .containsExactly("red");
      assertThat(fieldsOf(() -> QueryParameters.stats("1" + n, "99999", "0.5", null)))
          .as("from=1%s", n)
          .containsExactly("from");
      assertThat(fieldsOf(() -> QueryParameters.stats("0", "9" + n, "0.5", null)))
          .as("to=9%s", n)
          .containsExactly("to");
      assertThat(fieldsOf(() -> QueryParameters.stats("0", "1", "0.5", "7" + n)))
          .as("client_id=7%s", n)
          .containsExactly("client_id");
      assertThat(fieldsOf(() -> QueryParameters.series("0", "1", "1m" + n, "0.5", null)))
          .as("step=1m%s", n)
          .containsExactly("step");
    }
    assertThat(
            fieldsOf(
                () -> QueryParameters.stats("2026-11-23T10:00:00+08:00\u2028", "1", "0.5", null)))
        .containsExactly("from");
    assertThat(fieldsOf(() -> QueryParameters.stats("0", "1", "0.5", "+7")))
        .containsExactly("client_id");
  }

  @Test
  void theStrictGrammarStillTakesEveryDocumentedForm() {
    StatsQuery q =
        QueryParameters.stats("0", "2026-11-23T10:00:00.123+08:00", ".5", "9223372036854775807");

    assertThat(q.toMs()).isEqualTo(1_795_399_200_123L);
    assertThat(q.thresholdUnits()).isEqualTo(50_000);
    assertThat(q.clientId()).isEqualTo(Long.MAX_VALUE);
    assertThat(QueryParameters.stats("0", "1", "1.", null).thresholdUnits()).isEqualTo(100_000);
    assertThat(
            QueryParameters.stats("2026-11-23t02:00:00z", "2026-11-23T02:00:01Z", "0", null)
                .fromMs())
        .isEqualTo(1_795_399_200_000L);
  }

  @Test
  void seriesRefusesAnUnknownStep() {
    assertThat(fieldsOf(() -> QueryParameters.series("0", "1", "2m", "0.5", null)))
        .containsExactly("step");
    assertThat(fieldsOf(() -> QueryParameters.series("0", "1", null, "0.5", null)))
        .containsExactly("step");
  }

  @Test
  void seriesAllowsTenThousandBucketsAndRefusesOneMore() {
    // Given a range of exactly 10 000 minutes, aligned
    long tenThousandMinutes = 10_000L * 60_000L;
    SeriesQuery ok =
        QueryParameters.series("0", Long.toString(tenThousandMinutes), "1m", "0.5", null);
    assertThat(ok.bucketCount()).isEqualTo(10_000);

    // When the range starts one millisecond earlier, it touches a 10 001st bucket
    assertThat(
            fieldsOf(
                () ->
                    QueryParameters.series(
                        "59999", Long.toString(tenThousandMinutes + 60_000L), "1m", "0.5", null)))
        .containsExactly("step");
  }

  @Test
  void seriesBucketsAreAlignedToTheEpoch() {
    SeriesQuery q = QueryParameters.series("90000", "200000", "1m", "0.5", null);
    assertThat(q.firstBucket()).isEqualTo(1);
    assertThat(q.lastBucket()).isEqualTo(3);
    assertThat(q.bucketCount()).isEqualTo(3);
  }

  private static List<String> messagesOf(Runnable call) {
    return refusalsOf(call).stream().map(FieldError::message).toList();
  }

  private static List<String> fieldsOf(Runnable call) {
    return refusalsOf(call).stream().map(FieldError::field).toList();
  }

  private static List<FieldError> refusalsOf(Runnable call) {
    try {
      call.run();
    } catch (BadParametersException e) {
      return e.errors();
    }
    throw new AssertionError("expected the parameters to be refused");
  }
}
