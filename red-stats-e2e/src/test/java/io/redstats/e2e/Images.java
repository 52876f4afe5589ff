package io.redstats.e2e;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Test images with a known red fraction, for everything that uploads through RED. */
public final class Images {

  private Images() {}

  /** A 10×10 PNG with {@code redPixels} pure red pixels and the rest white: red = redPixels/100. */
  public static byte[] png(int redPixels) {
    BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < 100; p++) {
      image.setRGB(p % 10, p / 10, p < redPixels ? 0xFF0000 : 0xFFFFFF);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
