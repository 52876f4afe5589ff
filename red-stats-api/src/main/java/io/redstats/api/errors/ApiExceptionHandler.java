package io.redstats.api.errors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The error policy of every endpoint: bad parameters 400 naming each one, a client asking for
 * another client's images 403, ClickHouse not answering 503 with {@code Retry-After} (logged, the
 * caller retries), anything else 500 (logged with its stack: a bug).
 */
@RestControllerAdvice
public class ApiExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private final ApiProperties properties;

  public ApiExceptionHandler(ApiProperties properties) {
    this.properties = properties;
  }

  @ExceptionHandler(BadParametersException.class)
  ResponseEntity<ErrorBody> badParameters(BadParametersException e) {
    return ResponseEntity.badRequest().body(new ErrorBody(e.errors()));
  }

  @ExceptionHandler(AccessDeniedException.class)
  ResponseEntity<ErrorBody> forbidden(AccessDeniedException e) {
    return ResponseEntity.status(HttpStatus.FORBIDDEN).body(ErrorBody.of(null, e.getMessage()));
  }

  @ExceptionHandler(StatsUnavailableException.class)
  ResponseEntity<ErrorBody> unavailable(StatsUnavailableException e) {
    LOG.warn("answering 503: {}", e.getMessage(), e.getCause());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(
            HttpHeaders.RETRY_AFTER, Long.toString(properties.unavailableRetryAfter().toSeconds()))
        .body(ErrorBody.of("statistics are unavailable right now, retry later"));
  }
}
