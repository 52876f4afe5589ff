package io.redstats.red.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** Tells an image's format from its magic bytes; the declared content type is never trusted. */
final class ImageSniffer {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
  private static final byte[] GIF87 = "GIF87a".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GIF89 = "GIF89a".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RIFF = "RIFF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WEBP = "WEBP".getBytes(StandardCharsets.US_ASCII);

  /**
   * "BM" alone is too weak a signature (plenty of text starts with it), so a BMP must also carry
   * one of the DIB header sizes the format defines (OS/2 v1, v3..v5, and the rare 52/56/64).
   */
  private static final Set<Integer> BMP_DIB_HEADER_SIZES = Set.of(12, 40, 52, 56, 64, 108, 124);

  private ImageSniffer() {}

  static Optional<ImageFormat> sniff(byte[] bytes, int length) {
    if (startsWith(bytes, length, PNG)) {
      return Optional.of(ImageFormat.PNG);
    }
    if (startsWith(bytes, length, JPEG)) {
      return Optional.of(ImageFormat.JPEG);
    }
    if (startsWith(bytes, length, GIF87) || startsWith(bytes, length, GIF89)) {
      return Optional.of(ImageFormat.GIF);
    }
    if (isBmp(bytes, length)) {
      return Optional.of(ImageFormat.BMP);
    }
    if (startsWith(bytes, length, RIFF) && regionEquals(bytes, length, 8, WEBP)) {
      return Optional.of(ImageFormat.WEBP);
    }
    return Optional.empty();
  }

  private static boolean isBmp(byte[] bytes, int length) {
    if (length < 18 || bytes[0] != 'B' || bytes[1] != 'M') {
      return false;
    }
    int dibSize =
        (bytes[14] & 0xff)
            | (bytes[15] & 0xff) << 8
            | (bytes[16] & 0xff) << 16
            | (bytes[17] & 0xff) << 24;
    return BMP_DIB_HEADER_SIZES.contains(dibSize);
  }

  private static boolean startsWith(byte[] bytes, int length, byte[] prefix) {
    return regionEquals(bytes, length, 0, prefix);
  }

  private static boolean regionEquals(byte[] bytes, int length, int from, byte[] expected) {
    return length >= from + expected.length
        && Arrays.equals(bytes, from, from + expected.length, expected, 0, expected.length);
  }
}
