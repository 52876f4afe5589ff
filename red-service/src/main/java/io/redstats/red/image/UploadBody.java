package io.redstats.red.image;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.springframework.http.HttpStatus;

/**
 * The bytes of one upload, read from the request stream and never more than the size limit.
 *
 * @param bytes backing array; only the first {@code length} bytes are the upload
 * @param length number of bytes received
 */
record UploadBody(byte[] bytes, int length) {

  /** First buffer when the client sends no Content-Length (chunked); grows by doubling. */
  private static final int UNKNOWN_LENGTH_BUFFER = 64 * 1024;

  /**
   * Reads {@code in} to its end, refusing with 413 as soon as it passes {@code maxBytes}.
   *
   * @param declaredLength the request's Content-Length, or -1 when unknown
   */
  static UploadBody read(InputStream in, long declaredLength, long maxBytes) throws IOException {
    if (declaredLength > maxBytes) {
      throw tooLarge(maxBytes);
    }
    int capacity =
        (int)
            Math.min(
                maxBytes + 1, declaredLength >= 0 ? declaredLength + 1 : UNKNOWN_LENGTH_BUFFER);
    byte[] buffer = new byte[Math.max(capacity, 1)];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
        if (length > maxBytes) {
          throw tooLarge(maxBytes);
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes + 1, 2L * buffer.length));
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        break;
      }
      length += n;
    }
    if (length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    return new UploadBody(buffer, length);
  }

  byte[] sha256() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, 0, length);
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static ImageRejectedException tooLarge(long maxBytes) {
    return new ImageRejectedException(
        HttpStatus.CONTENT_TOO_LARGE,
        "the image is larger than the limit of " + maxBytes + " bytes");
  }
}
