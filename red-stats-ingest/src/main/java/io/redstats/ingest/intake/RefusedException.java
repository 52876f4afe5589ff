package io.redstats.ingest.intake;

import io.redstats.contract.event.FieldError;
import java.util.List;
import org.springframework.http.HttpStatus;

/** A request refused as a whole, with the status and the errors to answer. */
final class RefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String reason;
  private final transient List<FieldError> errors;

  private RefusedException(HttpStatus status, String reason, List<FieldError> errors) {
    super(errors.isEmpty() ? reason : errors.get(0).message(), null, false, false);
    this.status = status;
    this.reason = reason;
    this.errors = List.copyOf(errors);
  }

  static RefusedException invalid(List<FieldError> errors) {
    return new RefusedException(HttpStatus.BAD_REQUEST, RefusalReason.INVALID, errors);
  }

  /** 409: an image_id repeated with other content than the image already known. */
  static RefusedException conflict(List<FieldError> errors) {
    return new RefusedException(HttpStatus.CONFLICT, RefusalReason.CONFLICT, errors);
  }

  /** 403: events of a client the token may not post for. */
  static RefusedException otherClient(List<FieldError> errors) {
    return new RefusedException(HttpStatus.FORBIDDEN, RefusalReason.OTHER_CLIENT, errors);
  }

  static RefusedException malformed(String message) {
    return new RefusedException(
        HttpStatus.BAD_REQUEST,
        RefusalReason.MALFORMED,
        List.of(FieldError.of(null, null, message)));
  }

  static RefusedException tooLarge(String message) {
    return new RefusedException(
        HttpStatus.CONTENT_TOO_LARGE,
        RefusalReason.TOO_LARGE,
        List.of(FieldError.of(null, null, message)));
  }

  HttpStatus status() {
    return status;
  }

  String reason() {
    return reason;
  }

  List<FieldError> errors() {
    return errors;
  }
}
