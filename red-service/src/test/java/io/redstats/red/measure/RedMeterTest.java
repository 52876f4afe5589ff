package io.redstats.red.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedMeterTest {

  private static final int RED = 0xffff0000;
  private static final int GREY = 0xff808080;
  private static final int BLUE = 0xff0000ff;
  private static final int TRANSPARENT_RED = 0x00ff0000;

  private final RedMeter meter = new RedMeter();

  /** Every raster layout RED reads directly, and two it converts. */
  static List<Integer> layouts() {
    return List.of(
        BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_INT_RGB,
        BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_INT_BGR,
        BufferedImage.TYPE_USHORT_565_RGB,
        BufferedImage.TYPE_INT_ARGB_PRE);
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void allRedImageIsEntirelyRed(int type) {
    // Given an image filled with pure red
    BufferedImage image = filled(type, 10, 7, RED);

    // When it is measured
    RedFraction red = meter.measure(image);

    // Then every pixel is red
    assertThat(red).isEqualTo(new RedFraction(70, 70));
    assertThat(red.units()).isEqualTo(100_000);
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void leftHalfRedIsHalfRed(int type) {
    BufferedImage image = filled(type, 10, 4, BLUE);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 5; x++) {
        image.setRGB(x, y, RED);
      }
    }

    assertThat(meter.measure(image).units()).isEqualTo(50_000);
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void checkerboardOfRedAndGreyIsHalfRed(int type) {
    BufferedImage image = filled(type, 9, 9, GREY);
    for (int y = 0; y < 9; y++) {
      for (int x = 0; x < 9; x++) {
        if ((x + y) % 2 == 0) {
          image.setRGB(x, y, RED);
        }
      }
    }

    // 41 of 81 squares are red
    assertThat(meter.measure(image)).isEqualTo(new RedFraction(41, 81));
    assertThat(meter.measure(image).units()).isEqualTo(50_617);
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void greyImageHasNoRed(int type) {
    assertThat(meter.measure(filled(type, 5, 5, GREY))).isEqualTo(new RedFraction(0, 25));
  }

  @Test
  void transparentPixelsAreNotCounted() {
    // Given a quarter opaque red, the rest transparent red
    BufferedImage image = filled(BufferedImage.TYPE_INT_ARGB, 4, 4, TRANSPARENT_RED);
    image.setRGB(0, 0, RED);
    image.setRGB(1, 0, RED);
    image.setRGB(2, 0, GREY);
    image.setRGB(3, 0, GREY);

    // Then only the four opaque pixels count: two of them red
    assertThat(meter.measure(image)).isEqualTo(new RedFraction(2, 4));
  }

  @Test
  void fullyTransparentImageHasNoRed() {
    RedFraction red = meter.measure(filled(BufferedImage.TYPE_4BYTE_ABGR, 3, 3, TRANSPARENT_RED));

    assertThat(red).isEqualTo(new RedFraction(0, 0));
    assertThat(red.units()).isZero();
  }

  @Test
  void alphaBoundaryIsHalf() {
    BufferedImage image = filled(BufferedImage.TYPE_INT_ARGB, 2, 1, 0);
    image.setRGB(0, 0, 0x80ff0000); // alpha 128: counted
    image.setRGB(1, 0, 0x7fff0000); // alpha 127: not counted

    assertThat(meter.measure(image)).isEqualTo(new RedFraction(1, 1));
  }

  @Test
  void greyscaleImageHasNoRed() {
    assertThat(meter.measure(filled(BufferedImage.TYPE_BYTE_GRAY, 6, 2, GREY)))
        .isEqualTo(new RedFraction(0, 12));
    assertThat(meter.measure(filled(BufferedImage.TYPE_USHORT_GRAY, 6, 2, GREY)))
        .isEqualTo(new RedFraction(0, 12));
  }

  @Test
  void paletteImageUsesItsPaletteVerdicts() {
    // Given a palette of red, grey and a transparent entry
    byte[] r = {(byte) 255, (byte) 128, 0};
    byte[] g = {0, (byte) 128, 0};
    byte[] b = {0, (byte) 128, 0};
    byte[] a = {(byte) 255, (byte) 255, 0};
    IndexColorModel palette = new IndexColorModel(8, 3, r, g, b, a);
    BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED, palette);
    int[] indices = {0, 0, 1, 2, 2, 2};
    image.getRaster().setPixels(0, 0, 3, 2, indices);

    // Then 2 red of 3 opaque
    assertThat(meter.measure(image)).isEqualTo(new RedFraction(2, 3));
  }

  @Test
  void packedPaletteIsConvertedAndMeasured() {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY);
    fill(image, Color.WHITE.getRGB());

    assertThat(meter.measure(image)).isEqualTo(new RedFraction(0, 64));
  }

  @Test
  void tallImageSpanningManyStripsIsCountedOnce() {
    BufferedImage image = filled(BufferedImage.TYPE_USHORT_565_RGB, 3, 200, RED);
    for (int x = 0; x < 3; x++) {
      image.setRGB(x, 199, GREY);
    }

    assertThat(meter.measure(image)).isEqualTo(new RedFraction(597, 600));
  }

  @Test
  void subimageIsMeasuredOnItsOwnPixels() {
    BufferedImage image = filled(BufferedImage.TYPE_3BYTE_BGR, 10, 10, GREY);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(RED));
    g.fillRect(0, 0, 5, 5);
    g.dispose();

    assertThat(meter.measure(image.getSubimage(0, 0, 5, 10))).isEqualTo(new RedFraction(25, 50));
  }

  @Test
  void redDefinitionBoundaries() {
    // value: r >= 64
    assertThat(RedMeter.isRed(64, 0, 0)).isTrue();
    assertThat(RedMeter.isRed(63, 0, 0)).isFalse();
    // saturation: (r - min) / r >= 1/2
    assertThat(RedMeter.isRed(200, 100, 100)).isTrue();
    assertThat(RedMeter.isRed(200, 101, 101)).isFalse();
    // hue within ±20°: 3·|g - b| <= r - min; g = 60 of chroma 180 is exactly 20°
    assertThat(RedMeter.isRed(180, 60, 0)).isTrue();
    assertThat(RedMeter.isRed(180, 61, 0)).isFalse();
    assertThat(RedMeter.isRed(180, 0, 60)).isTrue();
    assertThat(RedMeter.isRed(180, 0, 61)).isFalse();
    // not red: orange, magenta, white, black
    assertThat(RedMeter.isRed(255, 165, 0)).isFalse();
    assertThat(RedMeter.isRed(255, 0, 255)).isFalse();
    assertThat(RedMeter.isRed(255, 255, 255)).isFalse();
    assertThat(RedMeter.isRed(0, 0, 0)).isFalse();
  }

  @Test
  void tableAgreesWithTheDefinitionEverywhere() {
    for (int r = 0; r < 256; r++) {
      for (int g = 0; g < 256; g++) {
        for (int b = 0; b < 256; b++) {
          if (RedMeter.redBit(r, g, b) != (RedMeter.isRed(r, g, b) ? 1 : 0)) {
            throw new AssertionError("disagree at " + r + "," + g + "," + b);
          }
        }
      }
    }
  }

  @Test
  void unitsRoundHalfUp() {
    assertThat(new RedFraction(1, 3).units()).isEqualTo(33_333);
    assertThat(new RedFraction(2, 3).units()).isEqualTo(66_667);
    assertThat(new RedFraction(1, 200_000).units()).isEqualTo(1); // 0.000005 → 0.00001
    assertThat(new RedFraction(1, 200_001).units()).isZero();
  }

  private static BufferedImage filled(int type, int width, int height, int argb) {
    BufferedImage image = new BufferedImage(width, height, type);
    fill(image, argb);
    return image;
  }

  private static void fill(BufferedImage image, int argb) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        image.setRGB(x, y, argb);
      }
    }
  }
}
