package io.redstats.ingest.intake;

import static io.redstats.contract.event.EventFields.CLIENT_ID;

import io.redstats.contract.event.FieldError;
import io.redstats.contract.event.StatEvent;
import io.redstats.ingest.conflict.ConflictCheck;
import io.redstats.ingest.publish.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * One request, all or nothing: every item is validated, checked against the token's client and
 * against the images already known before anything is produced, so a refused request leaves no
 * record; an accepted one is answered only after Kafka has every record.
 */
@Service
class IngestService {

  private final BodyParser parser;
  private final ConflictCheck conflicts;
  private final EventPublisher publisher;
  private final IngestMetrics metrics;

  IngestService(
      IngestProperties properties,
      ConflictCheck conflicts,
      EventPublisher publisher,
      IngestMetrics metrics) {
    this.parser = new BodyParser(properties.maxBatchSize(), properties.timestampWindow());
    this.conflicts = conflicts;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  /**
   * Accepts a JSON body (one object or an array); returns how many events Kafka acknowledged.
   *
   * @param client the only client whose events the token may post, or null for any
   */
  int acceptJson(byte[] body, Long client) {
    return accept(parser.parseJson(body), !isOneObject(body), client);
  }

  /** Accepts an NDJSON body. */
  int acceptNdjson(byte[] body, Long client) {
    return accept(parser.parseNdjson(body), true, client);
  }

  private int accept(List<StatEvent> events, boolean indexed, Long client) {
    requireClient(events, indexed, client);
    List<FieldError> conflicting = conflicts.conflicts(events, indexed);
    if (!conflicting.isEmpty()) {
      throw RefusedException.conflict(conflicting);
    }
    publisher.publish(events);
    metrics.accepted(events.size());
    return events.size();
  }

  /** A producer token with a client_id posts only that client's events. */
  private static void requireClient(List<StatEvent> events, boolean indexed, Long client) {
    if (client == null) {
      return;
    }
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).clientId() != client) {
        errors.add(
            FieldError.of(
                indexed ? i : null,
                CLIENT_ID,
                "this token may post only the events of client " + client));
      }
    }
    if (!errors.isEmpty()) {
      throw RefusedException.otherClient(errors);
    }
  }

  /** A body the parser accepted as JSON is one object exactly when it starts with a brace. */
  private static boolean isOneObject(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b == '{';
      }
    }
    return false;
  }
}
