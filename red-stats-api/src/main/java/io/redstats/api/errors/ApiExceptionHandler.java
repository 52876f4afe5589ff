package io.redstats.api.errors;

import io.redstats.kit.errors.ErrorBody;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The error policy of the API's endpoints: bad parameters 400 naming each one, ClickHouse not
 * answering 503 with {@code Retry-After} (logged, the caller retries). The service kit answers the
 * rest in the same body: a client asking for another client's images 403, an {@code Accept} that
 * excludes JSON 406, anything else 500 (logged with its stack: a bug).
 *
 * <p>Every body here is JSON whatever the request's {@code Accept} says: the content type is set
 * before Spring negotiates, so negotiation is skipped. Left to negotiate, {@code Accept: image/png}
 * made writing the 400 fail, and the request ended as a 500 with an empty body.
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
    return json(HttpStatus.BAD_REQUEST).body(new ErrorBody(e.errors()));
  }

  /**
   * Tomcat refuses a query parameter that is not valid UTF-8 when Spring first reads the
   * parameters. Left alone, it escaped Spring with an ERROR and a stack trace per request; it is
   * the client's mistake, so a 400 in our format and a one-line DEBUG.
   */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ErrorBody> undecodableParameter(InvalidParameterException e) {
    LOG.debug("answering 400: {}", e.getMessage());
    return json(HttpStatus.BAD_REQUEST)
        .body(ErrorBody.of("the query string must be valid UTF-8 after percent-decoding"));
  }

  @ExceptionHandler(StatsUnavailableException.class)
  ResponseEntity<ErrorBody> unavailable(StatsUnavailableException e) {
    LOG.warn("answering 503: {}", e.getMessage(), e.getCause());
    return json(HttpStatus.SERVICE_UNAVAILABLE)
        .header(
            HttpHeaders.RETRY_AFTER, Long.toString(properties.unavailableRetryAfter().toSeconds()))
        .body(ErrorBody.of("statistics are unavailable right now, retry later"));
  }

  private static ResponseEntity.BodyBuilder json(HttpStatus status) {
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
  }
}
