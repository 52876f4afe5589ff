package io.redstats.kit.errors;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the {@link ErrorBody} where no message converter is at hand — security filters, the error
 * page, Tomcat's own refusals — and whatever the request's {@code Accept} says: an error is always
 * JSON.
 */
public final class ErrorJson {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ErrorJson() {}

  /**
   * Sets {@code status} and writes {@code {"errors":[{"message":…}]}}; headers already set stay.
   */
  public static void write(HttpServletResponse response, int status, String message)
      throws IOException {
    write(response, status, ErrorBody.of(message));
  }

  public static void write(HttpServletResponse response, int status, ErrorBody body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    JSON.writeValue(response.getOutputStream(), body);
  }

  /** The body's bytes, for a writer that has no servlet response (Tomcat's valve). */
  static void write(OutputStream out, String message) {
    JSON.writeValue(out, ErrorBody.of(message));
  }
}
