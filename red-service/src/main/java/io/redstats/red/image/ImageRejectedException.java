package io.redstats.red.image;

import org.springframework.http.HttpStatus;

/** An upload RED refuses: the status, the field to blame, and the message the client gets. */
public class ImageRejectedException extends RuntimeException {

  /** The field blamed when none is named: the upload itself. */
  public static final String IMAGE_FIELD = "image";

  private final HttpStatus status;
  private final String field;

  public ImageRejectedException(HttpStatus status, String message) {
    this(status, IMAGE_FIELD, message);
  }

  public ImageRejectedException(HttpStatus status, String field, String message) {
    super(message);
    this.status = status;
    this.field = field;
  }

  public String field() {
    return field;
  }

  public HttpStatus status() {
    return status;
  }
}
