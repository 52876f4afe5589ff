package io.redstats.ingest.ingest;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /bench/noop}: the same server, security and body reading as {@code POST /stats},
 * without validation or Kafka — the baseline the single-event benchmark compares against. Off
 * unless {@code redstats.ingest.bench-noop-endpoint=true}.
 */
@RestController
@ConditionalOnProperty(name = "redstats.ingest.bench-noop-endpoint", havingValue = "true")
class NoopController {

  @PostMapping(path = "/bench/noop", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<StatsController.Accepted> noop(HttpServletRequest request) throws IOException {
    try (InputStream in = request.getInputStream()) {
      in.readAllBytes();
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(new StatsController.Accepted(1));
  }
}
