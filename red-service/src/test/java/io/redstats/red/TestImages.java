package io.redstats.red;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/** Images built for tests, whose red fraction is known exactly. */
public final class TestImages {

  public static final int RED = 0xffff0000;
  public static final int GREY = 0xff808080;

  private TestImages() {}

  /** A width×height image whose first {@code redColumns} columns are red, the rest grey. */
  public static BufferedImage redColumns(int width, int height, int redColumns) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, x < redColumns ? RED : GREY);
      }
    }
    return image;
  }

  /** A PNG, lossless: its red fraction is exactly redColumns / width. */
  public static byte[] png(int width, int height, int redColumns) {
    return encode(redColumns(width, height, redColumns), "png");
  }

  /** A distinct PNG per {@code seed} (for uploads that must not share a content hash). */
  public static byte[] uniquePng(int seed) {
    BufferedImage image = redColumns(16, 16, seed % 17);
    image.setRGB(15, 15, 0xff000000 | (seed & 0xffffff));
    return encode(image, "png");
  }

  public static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The first {@code keep} bytes of a file: what a cut-off upload looks like. */
  public static byte[] truncated(byte[] bytes, int keep) {
    return Arrays.copyOf(bytes, keep);
  }

  /**
   * A valid PNG signature and IHDR claiming width × height, then a tiny IDAT and IEND: a
   * decompression bomb's header, without the bomb.
   */
  public static byte[] pngHeader(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0);
    ihdr.put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /**
   * A complete, valid RGBA PNG of width × height with BIT_DEPTH (8 or 16) bits per sample, every
   * pixel red and opaque. Written row by row through the deflater, so a 7000 × 7000 16-bit image
   * (392 MB decoded) costs the test a few hundred kilobytes of memory and compressed bytes.
   */
  public static byte[] bigRgbaPng(int width, int height, int bitDepth) {
    int bytesPerSample = bitDepth / 8;
    byte[] row = new byte[1 + width * 4 * bytesPerSample];
    for (int x = 0; x < width; x++) {
      int at = 1 + x * 4 * bytesPerSample;
      Arrays.fill(row, at, at + bytesPerSample, (byte) 0xff);
      Arrays.fill(row, at + 3 * bytesPerSample, at + 4 * bytesPerSample, (byte) 0xff);
    }
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 64 * 1024)) {
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deflater.end();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) bitDepth).put((byte) 6).put((byte) 0);
    ihdr.put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
