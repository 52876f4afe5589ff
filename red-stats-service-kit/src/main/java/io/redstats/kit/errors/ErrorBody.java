package io.redstats.kit.errors;

import io.redstats.contract.event.FieldError;
import java.util.List;

/**
 * Every 4xx/5xx body of every service: {@code {"errors":[{"index":3,"field":"red","message":…}]}},
 * {@code index} and {@code field} only when one is to blame.
 */
public record ErrorBody(List<FieldError> errors) {

  public ErrorBody {
    errors = List.copyOf(errors);
  }

  public static ErrorBody of(String field, String message) {
    return new ErrorBody(List.of(FieldError.of(null, field, message)));
  }

  public static ErrorBody of(String message) {
    return of(null, message);
  }
}
