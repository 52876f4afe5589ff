package io.redstats.red.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.redstats.red.measure.RedMeter;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
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

  /**
   * Bytes per pixel assumed when the reader names no image type: 16-bit RGBA, the widest raster
   * these formats decode to.
   */
  private static final int WIDEST_BYTES_PER_PIXEL = 8;

  /** The meter's conversion strip on its generic path: 64 rows of packed ARGB. */
  private static final int METER_STRIP_BYTES_PER_COLUMN = RedMeter.STRIP_ROWS * 4;

  private final ImageLimits limits;
  private final DecodeBudget budget;

  ImageDecoder(ImageLimits limits, DecodeBudget budget) {
    this.limits = limits;
    this.budget = budget;
  }

  /** Decodes with the configured wait for room in the decode budget. */
  DecodedImage decode(UploadBody body) {
    return decode(body, System.nanoTime() + limits.decodeQueueTimeout().toNanos());
  }

  /**
   * Decodes BODY, holding its share of the decode budget (waited for until DEADLINE, a {@link
   * System#nanoTime()} value) in the result; the caller closes the result when done with the
   * pixels.
   */
  DecodedImage decode(UploadBody body, long deadlineNanos) {
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
      int bytesPerPixel = bytesPerPixel(reader);
      DecodeBudget.Reservation memory =
          budget.reserve(
              decodedBytes(format, width, height, bytesPerPixel),
              deadlineNanos,
              describe(format, width, height, bytesPerPixel));
      try {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          throw corrupt(format, warnings.get(0));
        }
        return new DecodedImage(format, width, height, image, memory);
      } catch (IOException | RuntimeException | Error e) {
        memory.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageRejectedException rejected) {
        throw rejected;
      }
      throw corrupt(format, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } finally {
      reader.dispose();
    }
  }

  /**
   * What the decoded raster will hold, from the header alone, on the safe side: the bytes per pixel
   * of the type the reader decodes to (the first it names, which {@code read(0)} uses), times the
   * pixels, plus the meter's strip. WebP counts twice: its decoder may keep a second raster while
   * converting.
   */
  static long decodedBytes(ImageFormat format, int width, int height, int bytesPerPixel) {
    long raster = (long) width * height * bytesPerPixel;
    if (format == ImageFormat.WEBP) {
      raster *= 2;
    }
    return raster + (long) width * METER_STRIP_BYTES_PER_COLUMN;
  }

  /**
   * Bytes per pixel of the raster the reader will make: one data element per band (or one per pixel
   * for packed layouts, at most one byte per pixel for 1/2/4-bit ones), each of its data type's
   * size. 16-bit RGBA is 8; 8-bit RGBA 4; 8-bit palette or grey 1.
   */
  static int bytesPerPixel(ImageReader reader) {
    try {
      Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
      if (types == null || !types.hasNext()) {
        return WIDEST_BYTES_PER_PIXEL;
      }
      SampleModel model = types.next().getSampleModel();
      int bytes = model.getNumDataElements() * DataBuffer.getDataTypeSize(model.getDataType()) / 8;
      return Math.max(1, bytes);
    } catch (IOException | RuntimeException e) {
      return WIDEST_BYTES_PER_PIXEL;
    }
  }

  private static String describe(ImageFormat format, int width, int height, int bytesPerPixel) {
    return "this "
        + width
        + "×"
        + height
        + " "
        + format.imageIoName()
        + " ("
        + bytesPerPixel
        + " bytes per pixel decoded)";
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
