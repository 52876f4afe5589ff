package io.redstats.contract.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AsciiNumbersTest {

  @Test
  void thresholdIsReadAtFiveDecimalsLikeStoredRed() throws Exception {
    assertThat(AsciiNumbers.redThreshold("0.85")).isEqualTo(85_000);
    assertThat(AsciiNumbers.redThreshold("0.850004")).isEqualTo(85_000);
    assertThat(AsciiNumbers.redThreshold("0.850005")).isEqualTo(85_001);
    assertThat(AsciiNumbers.redThreshold("0")).isZero();
    assertThat(AsciiNumbers.redThreshold("1")).isEqualTo(100_000);
  }

  @Test
  void thresholdTakesEveryPlainDecimalForm() throws Exception {
    assertThat(AsciiNumbers.redThreshold(".5")).isEqualTo(50_000);
    assertThat(AsciiNumbers.redThreshold("1.")).isEqualTo(100_000);
    assertThat(AsciiNumbers.redThreshold("000.5")).isEqualTo(50_000);
    // 32 characters, the longest taken
    assertThat(AsciiNumbers.redThreshold("0." + "0".repeat(30))).isZero();
  }

  @Test
  void absentThresholdIsRequired() {
    assertRefused(null, AsciiNumbers.REQUIRED);
    assertRefused("", AsciiNumbers.REQUIRED);
  }

  @Test
  void thresholdOutsideZeroToOneIsNotAFraction() {
    assertRefused("1.00001", AsciiNumbers.NOT_A_FRACTION);
    assertRefused("2", AsciiNumbers.NOT_A_FRACTION);
  }

  @Test
  void thresholdWithAnythingButAsciiDigitsAndOnePointIsNotADecimal() {
    for (String bad :
        new String[] {
          " ", // whitespace only is not absent
          "-0.1", // a sign, even a valid one
          "+0.5",
          "abc",
          "NaN",
          "Infinity",
          "5e-1", // an exponent
          "1e-999999999",
          "0x1p-1",
          ".",
          "0.5.1",
          "0.5\u0000", // NUL
          "0.5\u0660", // ARABIC-INDIC DIGIT ZERO, which BigDecimal reads as 0
          "\u0660.5",
          "0.5\uff10", // FULLWIDTH DIGIT ZERO
          "0.5\u2028", // LINE SEPARATOR, which String.strip() removes
          " 0.5",
          "0.5 ",
          "0.5\t",
          "0." + "0".repeat(31) // 33 characters
        }) {
      assertRefused(bad, AsciiNumbers.NOT_A_DECIMAL);
    }
  }

  @Test
  void positiveLongTakesOneTo19AsciiDigitsUpToLongMax() throws Exception {
    assertThat(AsciiNumbers.positiveLong("7")).isEqualTo(7L);
    assertThat(AsciiNumbers.positiveLong("007")).isEqualTo(7L);
    assertThat(AsciiNumbers.positiveLong("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void positiveLongRefusesZeroSignsOverflowAndNonAsciiDigits() {
    for (String bad :
        new String[] {
          null,
          "",
          "0",
          "-3",
          "+7",
          "x",
          "9223372036854775808", // 2^63
          "00000000000000000007", // 20 digits
          "7\u2028",
          " 7",
          "7\u0000",
          "\u0667", // ARABIC-INDIC DIGIT SEVEN, which Long.parseLong reads as 7
          "\uFF17" // FULLWIDTH DIGIT SEVEN
        }) {
      assertThatThrownBy(() -> AsciiNumbers.positiveLong(bad))
          .as("%s", bad)
          .isInstanceOf(InvalidValueException.class)
          .hasMessage(AsciiNumbers.NOT_A_POSITIVE_LONG);
    }
  }

  private static void assertRefused(String value, String message) {
    assertThatThrownBy(() -> AsciiNumbers.redThreshold(value))
        .as("%s", value)
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }
}
