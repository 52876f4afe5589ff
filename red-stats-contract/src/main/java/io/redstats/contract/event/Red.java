package io.redstats.contract.event;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The fixed-point representation of a red fraction: an integer number of 1/100000.
 *
 * <p>Every comparison in RED_STATS ("more red than the threshold") is made on these units, so the
 * notifier, the sink and the query API agree exactly and no float rounding can disagree between
 * them. Decimals with more than five places are rounded half-up to the nearest unit: 0.850004 is
 * 0.85000, 0.850005 is 0.85001.
 */
public final class Red {

  /** Five decimal places: the precision the architecture promises comparisons at. */
  public static final int SCALE = 100_000;

  public static final int DECIMALS = 5;

  private Red() {}

  /** Units of a fraction in [0, 1]; callers validate the range first. */
  public static int toUnits(BigDecimal fraction) {
    return fraction.setScale(DECIMALS, RoundingMode.HALF_UP).unscaledValue().intValueExact();
  }

  public static int toUnits(double fraction) {
    return toUnits(BigDecimal.valueOf(fraction));
  }

  public static BigDecimal toDecimal(int units) {
    return BigDecimal.valueOf(units, DECIMALS);
  }

  /** Whether a red value or threshold is a fraction: in [0, 1], both ends included. */
  public static boolean isFraction(BigDecimal value) {
    return value.signum() >= 0 && value.compareTo(BigDecimal.ONE) <= 0;
  }

  /**
   * The one matching rule: an image alerts / counts as "above" when its red is strictly greater.
   */
  public static boolean isAbove(int redUnits, int thresholdUnits) {
    return redUnits > thresholdUnits;
  }
}
