package io.redstats.red.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Every 4xx/5xx body: {@code {"errors":[{"field":"image","message":"..."}]}}. */
public record ErrorBody(List<Item> errors) {

  /** {@code field} only when one is to blame. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(String field, String message) {}

  public static ErrorBody of(String field, String message) {
    return new ErrorBody(List.of(new Item(field, message)));
  }
}
