package io.redstats.contract.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IsoTimestampsTest {

  @Test
  void theDocumentedFormIsReadWithItsOffset() throws Exception {
    assertThat(IsoTimestamps.epochMillis("2026-11-23T10:00:00.123+08:00"))
        .isEqualTo(Instant.parse("2026-11-23T02:00:00.123Z").toEpochMilli());
  }

  @Test
  void utcAsZAndLowerCaseLettersAreTheSameInstant() throws Exception {
    long expected = Instant.parse("2026-11-23T02:00:00Z").toEpochMilli();

    assertThat(IsoTimestamps.epochMillis("2026-11-23T02:00:00Z")).isEqualTo(expected);
    assertThat(IsoTimestamps.epochMillis("2026-11-23t02:00:00z")).isEqualTo(expected);
    assertThat(IsoTimestamps.epochMillis("2026-11-23T02:00Z")).isEqualTo(expected);
    assertThat(IsoTimestamps.epochMillis("2026-11-23T04:00:00+02:00")).isEqualTo(expected);
  }

  @Test
  void aTimestampWithoutOffsetIsRefusedNotGuessed() {
    assertRefused("2026-11-23T10:00:00");
    assertRefused("2026-11-23T10:00:00.123");
    assertRefused("2026-11-23");
  }

  @Test
  void epochMillisAsTextAreNotThisRulesToRead() {
    assertRefused("1763900000123");
  }

  @Test
  void onlyAsciiExactlyAsSentIsRead() {
    List<String> bad =
        List.of(
            "2026-11-23T10:00:00+08:00\u2028", // LINE SEPARATOR, which String.strip() removes
            " 2026-11-23T10:00:00+08:00",
            "2026-11-23T10:00:00+08:00\t",
            "\u0662026-11-23T10:00:00+08:00", // ARABIC-INDIC DIGIT TWO
            "\uFF12026-11-23T10:00:00+08:00", // FULLWIDTH DIGIT TWO
            "2026-11-23T10:00:00\u221208:00", // MINUS SIGN
            "2026-11-23T10:00:00,123+08:00",
            "2026-11-23T10:00:00+08:00[Asia/Shanghai]");
    bad.forEach(IsoTimestampsTest::assertRefused);
  }

  @Test
  void theLongestFormJavaTimeReadsIsTakenAndNothingLonger() throws Exception {
    // A signed ten-digit year, nine fraction digits and an offset with seconds: 45 characters
    String longest = "+0292278994-08-17T07:12:55.807999999+18:00:00";
    assertThat(longest).hasSize(45);
    assertThat(IsoTimestamps.epochMillis(longest)).isEqualTo(9_223_372_036_789_975_807L);
    // A padded year is still the year
    assertThat(IsoTimestamps.epochMillis("+0000002026-11-23T10:00:00.123456789+08:00:00"))
        .isEqualTo(Instant.parse("2026-11-23T02:00:00.123Z").toEpochMilli());

    assertRefused("+00292278994-08-17T07:12:55.807999999+18:00:00");
    assertRefused("2026-11-23T10:00:00." + "1".repeat(40) + "+08:00");
  }

  @Test
  void anInstantBeyondLongEpochMillisIsRefused() {
    assertRefused("+292278995-01-01T00:00:00Z");
    assertRefused("+999999999-12-31T23:59:59Z");
  }

  @Test
  void nullAndEmptyAreRefused() {
    assertRefused(null);
    assertRefused("");
  }

  private static void assertRefused(String value) {
    assertThatThrownBy(() -> IsoTimestamps.epochMillis(value))
        .as("%s", value)
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(IsoTimestamps.NOT_A_TIMESTAMP);
  }
}
