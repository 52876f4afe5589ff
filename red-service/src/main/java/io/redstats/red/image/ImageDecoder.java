package io.redstats.red.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Turns upload bytes into pixels, refusing before the expensive step whatever would make it
 * dangerous: the format is sniffed from the bytes, width × height is read from the header and
 * checked against the pixel limit before a single pixel is allocated, and any decoder error or
 * warning (a truncated JPEG only warns) refuses the image instead of measuring half of it.
 */
@Component
class ImageDecoder {

  private final ImageLimits limits;

  ImageDecoder(ImageLimits limits) {
    this.limits = limits;
  }

  DecodedImage decode(UploadBody body) {
    if (body.length() == 0) {
      throw new ImageRejectedException(HttpStatus.BAD_REQUEST, "the body is empty");
    }
    ImageFormat format =
        ImageSniffer.sniff(body.bytes(), body.length())
            .orElseThrow(
                () ->
                    new ImageRejectedException(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        "not a supported image: the bytes are none of png, jpeg, gif, bmp, webp"));
    ImageReader reader = readerFor(format);
    try (ImageInputStream in = new ByteArrayImageInputStream(body.bytes(), 0, body.length())) {
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      checkPixels(format, width, height);
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      BufferedImage image = reader.read(0);
      if (!warnings.isEmpty()) {
        throw corrupt(format, warnings.get(0));
      }
      return new DecodedImage(format, width, height, image);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageRejectedException rejected) {
        throw rejected;
      }
      throw corrupt(format, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } finally {
      reader.dispose();
    }
  }

  private void checkPixels(ImageFormat format, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw corrupt(format, "the header says " + width + "×" + height);
    }
    long pixels = (long) width * height;
    if (pixels > limits.maxPixels()) {
      throw new ImageRejectedException(
          HttpStatus.CONTENT_TOO_LARGE,
          "the image is "
              + width
              + "×"
              + height
              + " = "
              + pixels
              + " pixels, more than the limit of "
              + limits.maxPixels());
    }
  }

  private static ImageReader readerFor(ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) {
      throw new ImageRejectedException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE, format.imageIoName() + " is not supported here");
    }
    return readers.next();
  }

  private static ImageRejectedException corrupt(ImageFormat format, String detail) {
    return new ImageRejectedException(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "corrupt or truncated " + format.imageIoName() + ": " + detail);
  }
}
