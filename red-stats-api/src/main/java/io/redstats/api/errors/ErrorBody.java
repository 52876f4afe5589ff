package io.redstats.api.errors;

import io.redstats.contract.event.FieldError;
import java.util.List;

/** Every 4xx/5xx body of this service: {@code {"errors":[{"field":"red","message":"..."}]}}. */
public record ErrorBody(List<FieldError> errors) {

  public static ErrorBody of(String field, String message) {
    return new ErrorBody(List.of(FieldError.of(null, field, message)));
  }

  public static ErrorBody of(String message) {
    return of(null, message);
  }
}
