package io.redstats.red.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageSnifferTest {

  @Test
  void recognisesEachFormatByItsMagicBytes() {
    assertThat(sniff(bytes(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)))
        .isEqualTo(ImageFormat.PNG);
    assertThat(sniff(bytes(0xff, 0xd8, 0xff, 0xe0))).isEqualTo(ImageFormat.JPEG);
    assertThat(sniff("GIF89a....".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ImageFormat.GIF);
    assertThat(sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(ImageFormat.WEBP);
    byte[] bmp = new byte[18];
    bmp[0] = 'B';
    bmp[1] = 'M';
    bmp[14] = 40;
    assertThat(sniff(bmp)).isEqualTo(ImageFormat.BMP);
  }

  @Test
  void textStartingWithBmIsNotABitmap() {
    assertThat(ImageSniffer.sniff(text("BMW owners club newsletter"), 26)).isEmpty();
  }

  @Test
  void shortOrUnknownBytesAreNothing() {
    assertThat(ImageSniffer.sniff(bytes(0x89, 'P'), 2)).isEmpty();
    assertThat(ImageSniffer.sniff(text("<html>"), 6)).isEmpty();
    assertThat(ImageSniffer.sniff(new byte[0], 0)).isEmpty();
  }

  @Test
  void onlyTheReceivedLengthCounts() {
    byte[] buffer = bytes(0xff, 0xd8, 0xff, 0xe0);
    assertThat(ImageSniffer.sniff(buffer, 2)).isEmpty();
  }

  private static ImageFormat sniff(byte[] b) {
    return ImageSniffer.sniff(b, b.length).orElseThrow();
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
