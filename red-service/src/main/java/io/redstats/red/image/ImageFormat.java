package io.redstats.red.image;

/** The image formats RED accepts, each recognised by its leading bytes, never by a header. */
public enum ImageFormat {
  PNG("png"),
  JPEG("jpeg"),
  GIF("gif"),
  BMP("bmp"),
  WEBP("webp");

  private final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The format name ImageIO's reader registry knows it by. */
  public String imageIoName() {
    return imageIoName;
  }
}
