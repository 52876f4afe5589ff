package io.redstats.red.bench;

import io.redstats.red.measure.RedFraction;
import io.redstats.red.measure.RedMeter;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Megapixels per second (one thread = one core) of the red computation against decoding alone, on a
 * 12-megapixel JPEG and a 1-megapixel PNG, in the same run. Run with {@code bench/run.sh}.
 *
 * <p>The goal from the issue: measuring adds at most 20 % to the decode time.
 */
public final class RedBench {

  /** Rounds measured after warm-up; the median is reported. */
  private static final int ROUNDS = 7;

  private static final int WARMUP = 3;

  private RedBench() {}

  public static void main(String[] args) throws IOException {
    report("12 MP JPEG", encode(photo(4000, 3000), "jpeg"));
    report("1 MP PNG", encode(photo(1000, 1000), "png"));
  }

  private static void report(String name, byte[] file) throws IOException {
    RedMeter meter = new RedMeter();
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(file));
    double megapixels = decoded.getWidth() * (double) decoded.getHeight() / 1e6;
    long decodeNanos = median(() -> ImageIO.read(new ByteArrayInputStream(file)));
    long measureNanos = median(() -> meter.measure(decoded));
    RedFraction red = meter.measure(decoded);
    System.out.printf(
        "%-11s %5.1f MP  decode %7.1f MP/s  measure %7.1f MP/s  measure/decode %5.1f %%  (red %d/%d)%n",
        name,
        megapixels,
        megapixels / (decodeNanos / 1e9),
        megapixels / (measureNanos / 1e9),
        100.0 * measureNanos / decodeNanos,
        red.redPixels(),
        red.opaquePixels());
  }

  private interface Work {
    Object run() throws IOException;
  }

  private static long median(Work work) throws IOException {
    for (int i = 0; i < WARMUP; i++) {
      work.run();
    }
    long[] times = new long[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      long start = System.nanoTime();
      work.run();
      times[i] = System.nanoTime() - start;
    }
    java.util.Arrays.sort(times);
    return times[ROUNDS / 2];
  }

  /** Gradients with noise and red blobs: compresses like a photo, not like a flat test card. */
  private static BufferedImage photo(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(
        new GradientPaint(0, 0, new Color(30, 90, 160), width, height, new Color(220, 200, 120)));
    g.fillRect(0, 0, width, height);
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      g.setColor(new Color(150 + random.nextInt(106), random.nextInt(60), random.nextInt(60)));
      int size = 20 + random.nextInt(width / 10);
      g.fillOval(random.nextInt(width), random.nextInt(height), size, size);
    }
    g.dispose();
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      for (int x = 0; x < width; x++) {
        int n = random.nextInt(16) - 8;
        int r = clamp(((row[x] >> 16) & 0xff) + n);
        int gr = clamp(((row[x] >> 8) & 0xff) + n);
        int b = clamp((row[x] & 0xff) + n);
        row[x] = r << 16 | gr << 8 | b;
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    return image;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }
}
