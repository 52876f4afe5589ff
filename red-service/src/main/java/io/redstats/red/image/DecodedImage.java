package io.redstats.red.image;

import java.awt.image.BufferedImage;

/**
 * An upload that passed every check and decoded: its format, header size and pixels, and the share
 * of the decode budget its pixels hold until it is closed.
 */
record DecodedImage(
    ImageFormat format, int width, int height, BufferedImage image, AutoCloseable memory)
    implements AutoCloseable {

  /** Gives the pixels' memory back to the decode budget; the image is not to be used after. */
  @Override
  public void close() {
    try {
      memory.close();
    } catch (Exception e) {
      throw new IllegalStateException("a budget reservation does not fail to close", e);
    }
  }
}
