package io.redstats.ingest.ingest;

import io.redstats.contract.event.FieldError;
import java.util.List;

/**
 * Every 4xx/5xx body of this service: {@code {"errors":[{"index":3,"field":"red","message":…}]}}.
 */
public record ErrorBody(List<FieldError> errors) {

  public static ErrorBody of(String message) {
    return new ErrorBody(List.of(FieldError.of(null, null, message)));
  }
}
