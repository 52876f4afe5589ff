package io.redstats.ingest.intake;

import io.redstats.ingest.publish.KafkaUnavailableException;
import io.redstats.kit.errors.ErrorBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns every refusal of {@code POST /stats} into its status and an {@link ErrorBody}, and counts
 * it; the service kit answers the rest (404, 405, 406, {@code /error}) in the same body.
 */
@RestControllerAdvice
class IngestExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(IngestExceptionHandler.class);

  private final IngestMetrics metrics;

  IngestExceptionHandler(IngestMetrics metrics) {
    this.metrics = metrics;
  }

  @ExceptionHandler(RefusedException.class)
  ResponseEntity<ErrorBody> refused(RefusedException e) {
    metrics.refused(e.reason());
    return ResponseEntity.status(e.status()).body(new ErrorBody(e.errors()));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorBody> unsupportedType(HttpMediaTypeNotSupportedException e) {
    metrics.refused(RefusalReason.UNSUPPORTED_TYPE);
    return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .body(
            ErrorBody.of(
                "Content-Type must be application/json or "
                    + StatsController.NDJSON
                    + ", not "
                    + (e.getContentType() == null ? "missing" : e.getContentType())));
  }

  @ExceptionHandler(KafkaUnavailableException.class)
  ResponseEntity<ErrorBody> unavailable(KafkaUnavailableException e) {
    metrics.refused(RefusalReason.UNAVAILABLE);
    log.warn("answering 503: {}", e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
        .body(
            ErrorBody.of(
                "Kafka did not acknowledge the events in time; retry later (repeats are deduplicated)"));
  }
}
