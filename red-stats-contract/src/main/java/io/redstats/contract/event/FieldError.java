package io.redstats.contract.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One reason a request was refused, naming where: the item's index in a batch (null for a single
 * object), the field (null when the whole item is wrong) and a message a person can act on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(Integer index, String field, String message) {

  public static FieldError of(Integer index, String field, String message) {
    return new FieldError(index, field, message);
  }
}
