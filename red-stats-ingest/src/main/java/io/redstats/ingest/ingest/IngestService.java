package io.redstats.ingest.ingest;

import io.redstats.contract.event.StatEvent;
import io.redstats.ingest.publish.EventPublisher;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * One request, all or nothing: every item is validated before anything is produced, so a refused
 * request leaves no record; an accepted one is answered only after Kafka has every record.
 */
@Service
class IngestService {

  private final BodyParser parser;
  private final EventPublisher publisher;
  private final IngestMetrics metrics;

  IngestService(IngestProperties properties, EventPublisher publisher, IngestMetrics metrics) {
    this.parser = new BodyParser(properties.maxBatchSize(), properties.timestampWindow());
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

  private int accept(List<StatEvent> events) {
    publisher.publish(events);
    metrics.accepted(events.size());
    return events.size();
  }
}
