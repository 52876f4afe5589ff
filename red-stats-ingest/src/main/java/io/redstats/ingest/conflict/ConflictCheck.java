package io.redstats.ingest.conflict;

import static io.redstats.contract.event.EventFields.CLIENT_ID;
import static io.redstats.contract.event.EventFields.RED;
import static io.redstats.contract.event.EventFields.TIMESTAMP;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redstats.contract.event.FieldError;
import io.redstats.contract.event.StatEvent;
import io.redstats.ingest.dedup.KnownImages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Refuses a repeat of an image_id whose content differs from the image already known — within the
 * request or in the dedup's store on any node — naming each field that differs (409). An identical
 * repeat is a retry and passes: the dedup drops it.
 *
 * <p>The answer names fields, never the stored values: the image may belong to another client.
 */
@Component
public class ConflictCheck {

  private final KnownImages known;
  private final boolean enabled;
  private final Counter refused;

  ConflictCheck(
      KnownImages known,
      MeterRegistry registry,
      @Value("${redstats.ingest.conflict-check:true}") boolean enabled) {
    this.known = known;
    this.enabled = enabled;
    this.refused =
        Counter.builder("redstats.ingest.conflicts.refused")
            .description("events refused with 409: their image_id is known with other content")
            .register(registry);
  }

  /**
   * The conflicts of {@code events}, one error per differing field; empty when there are none.
   *
   * @param indexed whether errors carry the item's index (a batch) or not (one object)
   */
  public List<FieldError> conflicts(List<StatEvent> events, boolean indexed) {
    if (!enabled) {
      return List.of();
    }
    Map<Long, StatEvent> first = new HashMap<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      StatEvent event = events.get(i);
      StatEvent earlier = first.putIfAbsent(event.imageId(), event);
      if (earlier != null) {
        differences(earlier, event, indexed ? i : null, "an earlier item of this request", errors);
      }
    }
    Map<Long, StatEvent> stored = known.find(first.keySet());
    for (int i = 0; i < events.size(); i++) {
      StatEvent event = events.get(i);
      StatEvent kept = stored.get(event.imageId());
      if (kept != null) {
        differences(kept, event, indexed ? i : null, "the image already stored", errors);
      }
    }
    if (!errors.isEmpty()) {
      refused.increment();
    }
    return errors;
  }

  private static void differences(
      StatEvent kept, StatEvent repeat, Integer index, String what, List<FieldError> errors) {
    if (kept.clientId() != repeat.clientId()) {
      errors.add(error(index, CLIENT_ID, repeat.imageId(), what));
    }
    if (kept.timestampMs() != repeat.timestampMs()) {
      errors.add(error(index, TIMESTAMP, repeat.imageId(), what));
    }
    if (kept.redUnits() != repeat.redUnits()) {
      errors.add(error(index, RED, repeat.imageId(), what));
    }
  }

  private static FieldError error(Integer index, String field, long imageId, String what) {
    return FieldError.of(
        index,
        field,
        "differs from "
            + what
            + " with image_id "
            + imageId
            + "; a repeat must be identical (a retry), another image needs another image_id");
  }
}
