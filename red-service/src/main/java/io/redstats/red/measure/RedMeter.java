package io.redstats.red.measure;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import org.springframework.stereotype.Component;

/**
 * Counts the red pixels of a decoded image, working on its raster's backing arrays.
 *
 * <p>The definition (see the module README): a pixel counts when its alpha is at least 128; an
 * opaque pixel is red when, on 8-bit channels, its value {@code max(r,g,b)} is {@code r} and at
 * least {@value #MIN_VALUE}, its saturation {@code (max-min)/max} is at least 1/2, and its hue is
 * within ±20° of 0° — that is {@code 3·|g-b| <= max-min}. Everything is integer arithmetic, so the
 * answer for a given image is exact and the same on every machine.
 *
 * <p>The layouts decoders actually produce (interleaved 8-bit RGB/RGBA in any band order, packed
 * int RGB/ARGB, 8-bit palettes, 8-bit grey) are read straight from their arrays; any other layout
 * is converted strip by strip to packed ARGB first, which costs one extra copy but stays exact.
 */
@Component
public class RedMeter {

  /** Alpha at or above half is "opaque enough to be seen"; below it a pixel is not counted. */
  public static final int MIN_OPAQUE_ALPHA = 128;

  /** Value of at least 25 % (64 of 255): darker pixels read as black, not red, to a viewer. */
  public static final int MIN_VALUE = 64;

  /** Rows converted at once on the generic path: bounds the extra memory to a thin strip. */
  public static final int STRIP_ROWS = 64;

  /**
   * Every condition of the definition is a lower bound on {@code r} given {@code g} and {@code b}:
   * {@code r >= max(g,b)}, {@code r >= 64}, {@code r >= 2·min(g,b)}, {@code r >= min(g,b) +
   * 3·|g-b|}. So a pixel is red exactly when {@code r >= MIN_RED[g << 8 | b]}. The table (128 KiB)
   * turns ~15 operations per pixel into one look-up and one comparison; {@code
   * RedMeterTest.tableAgreesWithTheDefinitionEverywhere} checks all 2^24 colours.
   */
  private static final short[] MIN_RED = minRedTable();

  public RedFraction measure(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    if (isPlainRaster(raster)) {
      if (cm instanceof IndexColorModel icm && isInterleavedBytes(raster, 1)) {
        return measurePalette(raster, icm);
      }
      if (isSrgbComponent(cm) && isInterleavedBytes(raster, cm.getNumComponents())) {
        return measureInterleavedBytes(raster, cm.hasAlpha());
      }
      if (isGreyWithoutAlpha(cm)) {
        return new RedFraction(0, (long) image.getWidth() * image.getHeight());
      }
      int type = image.getType();
      if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) {
        return measurePackedInts(raster, type == BufferedImage.TYPE_INT_ARGB);
      }
    }
    return measureConverted(image);
  }

  /** The red test on 8-bit channels; package-visible so tests can pin the boundaries. */
  static boolean isRed(int r, int g, int b) {
    if (r < MIN_VALUE || r < g || r < b) {
      return false;
    }
    int chroma = r - Math.min(g, b);
    return 2 * chroma >= r && 3 * Math.abs(g - b) <= chroma;
  }

  private static short[] minRedTable() {
    short[] table = new short[1 << 16];
    for (int g = 0; g < 256; g++) {
      for (int b = 0; b < 256; b++) {
        int min = Math.min(g, b);
        int bound = Math.max(Math.max(g, b), Math.max(MIN_VALUE, 2 * min));
        table[g << 8 | b] = (short) Math.max(bound, min + 3 * Math.abs(g - b));
      }
    }
    return table;
  }

  /** 1 when red, else 0, without a branch: red and non-red alternate unpredictably in photos. */
  static int redBit(int r, int g, int b) {
    return (MIN_RED[g << 8 | b] - r - 1) >>> 31;
  }

  private static boolean isPlainRaster(Raster raster) {
    return raster.getParent() == null
        && raster.getMinX() == 0
        && raster.getMinY() == 0
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0
        && raster.getDataBuffer().getNumBanks() == 1;
  }

  private static boolean isInterleavedBytes(Raster raster, int bands) {
    return raster.getDataBuffer().getDataType() == DataBuffer.TYPE_BYTE
        && raster.getSampleModel() instanceof ComponentSampleModel csm
        && csm.getNumBands() == bands
        && csm.getSampleSize(0) == 8;
  }

  private static boolean isSrgbComponent(ColorModel cm) {
    return cm instanceof ComponentColorModel
        && cm.getColorSpace().isCS_sRGB()
        && !cm.isAlphaPremultiplied()
        && cm.getNumComponents() == (cm.hasAlpha() ? 4 : 3);
  }

  private static boolean isGreyWithoutAlpha(ColorModel cm) {
    return cm instanceof ComponentColorModel
        && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && !cm.hasAlpha();
  }

  private static RedFraction measureInterleavedBytes(Raster raster, boolean hasAlpha) {
    ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
    byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
    int[] bandOffsets = sm.getBandOffsets();
    int ro = bandOffsets[0];
    int go = bandOffsets[1];
    int bo = bandOffsets[2];
    int ao = hasAlpha ? bandOffsets[3] : 0;
    int pixelStride = sm.getPixelStride();
    int width = raster.getWidth();
    int first = raster.getDataBuffer().getOffset();
    int height = raster.getHeight();
    int scanline = sm.getScanlineStride();
    long red = 0;
    long opaque = 0;
    if (!hasAlpha && pixelStride == 3 && ro == 2 && go == 1 && bo == 0 && scanline == 3 * width) {
      return new RedFraction(
          countContiguousBgr(data, first, first + 3 * width * height), (long) width * height);
    }
    if (!hasAlpha) {
      for (int y = 0; y < height; y++) {
        int p = first + y * scanline;
        for (int x = 0; x < width; x++, p += pixelStride) {
          red += redBit(data[p + ro] & 0xff, data[p + go] & 0xff, data[p + bo] & 0xff);
        }
      }
      return new RedFraction(red, (long) width * height);
    }
    for (int y = 0; y < height; y++) {
      int p = first + y * scanline;
      for (int x = 0; x < width; x++, p += pixelStride) {
        if ((data[p + ao] & 0xff) < MIN_OPAQUE_ALPHA) {
          continue;
        }
        opaque++;
        red += redBit(data[p + ro] & 0xff, data[p + go] & 0xff, data[p + bo] & 0xff);
      }
    }
    return new RedFraction(red, opaque);
  }

  /**
   * TYPE_3BYTE_BGR without row padding, what the JPEG decoder produces: one flat loop with fixed
   * offsets, which the JIT compiles far tighter than the general strided loop.
   */
  private static long countContiguousBgr(byte[] data, int from, int to) {
    long red = 0;
    for (int p = from; p < to; p += 3) {
      red +=
          (MIN_RED[(data[p + 1] & 0xff) << 8 | (data[p] & 0xff)] - (data[p + 2] & 0xff) - 1) >>> 31;
    }
    return red;
  }

  private static RedFraction measurePalette(Raster raster, IndexColorModel icm) {
    int size = icm.getMapSize();
    // One verdict per palette entry, then one table look-up per pixel.
    byte[] verdict = new byte[256];
    for (int i = 0; i < size; i++) {
      boolean opaque = icm.getAlpha(i) >= MIN_OPAQUE_ALPHA;
      boolean red = opaque && isRed(icm.getRed(i), icm.getGreen(i), icm.getBlue(i));
      verdict[i] = (byte) (red ? 2 : opaque ? 1 : 0);
    }
    ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
    byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
    int pixelStride = sm.getPixelStride();
    int first = raster.getDataBuffer().getOffset() + sm.getBandOffsets()[0];
    long red = 0;
    long opaque = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      int p = first + y * sm.getScanlineStride();
      for (int x = 0; x < raster.getWidth(); x++, p += pixelStride) {
        int v = verdict[data[p] & 0xff];
        opaque += v == 0 ? 0 : 1;
        red += v >> 1;
      }
    }
    return new RedFraction(red, opaque);
  }

  private static RedFraction measurePackedInts(Raster raster, boolean hasAlpha) {
    SinglePixelPackedSampleModel sm = (SinglePixelPackedSampleModel) raster.getSampleModel();
    int[] data = ((DataBufferInt) raster.getDataBuffer()).getData();
    int offset = raster.getDataBuffer().getOffset();
    long[] counts = new long[2];
    for (int y = 0; y < raster.getHeight(); y++) {
      countArgbRow(data, offset + y * sm.getScanlineStride(), raster.getWidth(), hasAlpha, counts);
    }
    return new RedFraction(counts[0], counts[1]);
  }

  /** Adds one row of packed (A)RGB ints to {@code counts} = {red, opaque}. */
  private static void countArgbRow(
      int[] data, int start, int width, boolean hasAlpha, long[] counts) {
    long red = 0;
    long opaque = 0;
    for (int p = start; p < start + width; p++) {
      int argb = data[p];
      if (hasAlpha && (argb >>> 24) < MIN_OPAQUE_ALPHA) {
        continue;
      }
      opaque++;
      red += redBit((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
    }
    counts[0] += red;
    counts[1] += opaque;
  }

  /** Any other layout: draw strips into a packed ARGB buffer (Java2D's exact conversion loops). */
  private static RedFraction measureConverted(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int rows = Math.min(STRIP_ROWS, height);
    BufferedImage strip = new BufferedImage(width, rows, BufferedImage.TYPE_INT_ARGB);
    int[] data = ((DataBufferInt) strip.getRaster().getDataBuffer()).getData();
    long[] counts = new long[2];
    Graphics2D g = strip.createGraphics();
    try {
      g.setComposite(AlphaComposite.Src);
      for (int y = 0; y < height; y += rows) {
        int h = Math.min(rows, height - y);
        g.drawImage(image, 0, 0, width, h, 0, y, width, y + h, null);
        for (int row = 0; row < h; row++) {
          countArgbRow(data, row * width, width, true, counts);
        }
      }
    } finally {
      g.dispose();
    }
    return new RedFraction(counts[0], counts[1]);
  }
}
