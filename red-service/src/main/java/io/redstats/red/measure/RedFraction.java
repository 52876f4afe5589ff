package io.redstats.red.measure;

import io.redstats.contract.event.Red;

/**
 * What {@link RedMeter} counted in one image: its red pixels among its opaque ones.
 *
 * @param redPixels opaque pixels that are red by the README's definition
 * @param opaquePixels pixels with alpha of at least {@link RedMeter#MIN_OPAQUE_ALPHA}
 */
public record RedFraction(long redPixels, long opaquePixels) {

  public RedFraction {
    if (redPixels < 0 || opaquePixels < 0 || redPixels > opaquePixels) {
      throw new IllegalArgumentException(
          "bad counts: red " + redPixels + " of " + opaquePixels + " opaque pixels");
    }
  }

  /**
   * The fraction in units of 1/{@value Red#SCALE}, rounded half-up with integer arithmetic only so
   * the same counts always give the same units. An image without an opaque pixel has no red: 0.
   */
  public int units() {
    if (opaquePixels == 0) {
      return 0;
    }
    // red * SCALE fits a long: at most 2^31 pixels pass the pixel limit, times 10^5.
    long twice = 2L * redPixels * Red.SCALE + opaquePixels;
    return (int) (twice / (2L * opaquePixels));
  }
}
