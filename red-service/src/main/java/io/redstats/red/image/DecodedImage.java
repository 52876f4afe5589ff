package io.redstats.red.image;

import java.awt.image.BufferedImage;

/** An upload that passed every check and decoded: its format, header size and pixels. */
record DecodedImage(ImageFormat format, int width, int height, BufferedImage image) {}
