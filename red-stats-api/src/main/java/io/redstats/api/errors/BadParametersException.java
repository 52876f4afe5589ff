package io.redstats.api.errors;

import io.redstats.contract.event.FieldError;
import java.util.List;

/** A request refused before any query runs; every bad parameter is named. Answered with 400. */
public class BadParametersException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> errors;

  public BadParametersException(List<FieldError> errors) {
    super(errors.toString());
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
