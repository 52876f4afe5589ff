package io.redstats.red.errors;

import io.redstats.kit.errors.ErrorBody;
import io.redstats.red.image.ImageRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;

/**
 * Turns the refusals of RED's endpoints into the JSON error body; a down database is a 503 with
 * Retry-After. The service kit answers the rest (404, 405, 406, {@code /error}) in the same body.
 */
@RestControllerAdvice
class ErrorHandler {

  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  /** PostgreSQL restarts take seconds; asking clients back sooner only adds load. */
  private static final String DATABASE_RETRY_AFTER_SECONDS = "5";

  /** Overload (no decode slot free): a slot frees within seconds. */
  private static final String BUSY_RETRY_AFTER_SECONDS = "1";

  private static final String IMAGE = ImageRejectedException.IMAGE_FIELD;

  @ExceptionHandler(ImageRejectedException.class)
  ResponseEntity<ErrorBody> rejected(ImageRejectedException e) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
    if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
      response.header(HttpHeaders.RETRY_AFTER, BUSY_RETRY_AFTER_SECONDS);
    }
    return response.body(ErrorBody.of(e.field(), e.getMessage()));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorBody> mediaType(HttpMediaTypeNotSupportedException e) {
    return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .body(
            ErrorBody.of(
                IMAGE,
                "content type "
                    + e.getContentType()
                    + " is not accepted: send image bytes (image/*, application/octet-stream)"
                    + " or multipart/form-data with a part named image"));
  }

  @ExceptionHandler(MaxUploadSizeExceededException.class)
  ResponseEntity<ErrorBody> tooLarge(MaxUploadSizeExceededException e) {
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
        .body(ErrorBody.of(IMAGE, "the upload is larger than the limit"));
  }

  @ExceptionHandler(MissingServletRequestPartException.class)
  ResponseEntity<ErrorBody> missingPart(MissingServletRequestPartException e) {
    return ResponseEntity.badRequest()
        .body(ErrorBody.of(IMAGE, "a multipart upload needs a file part named image"));
  }

  @ExceptionHandler(MultipartException.class)
  ResponseEntity<ErrorBody> badMultipart(MultipartException e) {
    return ResponseEntity.badRequest()
        .body(ErrorBody.of(IMAGE, "the multipart body cannot be read"));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ErrorBody> badArgument(MethodArgumentTypeMismatchException e) {
    return ResponseEntity.badRequest()
        .body(ErrorBody.of(e.getName(), "must be a positive integer"));
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<ErrorBody> missingHeader(MissingRequestHeaderException e) {
    return ResponseEntity.badRequest().body(ErrorBody.of(e.getHeaderName(), "is required"));
  }

  @ExceptionHandler(DataAccessException.class)
  ResponseEntity<ErrorBody> database(DataAccessException e) {
    log.warn("database unavailable: {}", e.toString());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS)
        .body(ErrorBody.of(null, "storage is unavailable, nothing was stored; retry later"));
  }
}
