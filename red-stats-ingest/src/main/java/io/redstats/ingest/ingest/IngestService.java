package io.redstats.ingest.ingest;

import io.redstats.contract.event.EventValidator;
import io.redstats.contract.event.FieldError;
import io.redstats.contract.event.StatEvent;
import io.redstats.ingest.publish.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * One request, all or nothing: every item is validated before anything is produced, so a refused
 * request leaves no record; an accepted one is answered only after Kafka has every record.
 */
@Service
class IngestService {

  private final BodyParser parser;
  private final EventValidator validator;
  private final EventPublisher publisher;
  private final IngestMetrics metrics;

  IngestService(IngestProperties properties, EventPublisher publisher, IngestMetrics metrics) {
    this.parser = new BodyParser(properties.maxBatchSize());
    this.validator = new EventValidator(properties.timestampWindow());
    this.publisher = publisher;
    this.metrics = metrics;
  }

  /** Accepts a JSON body (one object or an array); returns how many events Kafka acknowledged. */
  int acceptJson(byte[] body) {
    return accept(parser.parseJson(body));
  }

  /** Accepts an NDJSON body. */
  int acceptNdjson(byte[] body) {
    return accept(parser.parseNdjson(body));
  }

  private int accept(BodyParser.Items items) {
    List<StatEvent> events = validate(items);
    publisher.publish(events);
    metrics.accepted(events.size());
    return events.size();
  }

  private List<StatEvent> validate(BodyParser.Items items) {
    List<StatEvent> events = new ArrayList<>(items.nodes().size());
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < items.nodes().size(); i++) {
      JsonNode node = items.nodes().get(i);
      EventValidator.Result result = validator.validate(node, items.single() ? null : i);
      if (result.valid()) {
        events.add(result.event());
      } else {
        errors.addAll(result.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw RefusedException.invalid(errors);
    }
    return events;
  }
}
