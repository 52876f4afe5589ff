package io.redstats.ingest.bench;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /bench/noop}: the same server, security and body reading as {@code POST /stats},
 * without validation or Kafka — the baseline the single-event benchmark compares against.
 *
 * <p>Not part of the service jar: {@code run.sh} and {@code ab.sh} compile it and start the node
 * with it on {@code loader.path}, where the application's component scan (package {@code
 * io.redstats.ingest}) finds it.
 */
@RestController
class NoopController {

  private static final String ACCEPTED_ONE = "{\"accepted\":1}";

  @PostMapping(path = "/bench/noop", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> noop(HttpServletRequest request) throws IOException {
    try (InputStream in = request.getInputStream()) {
      in.readAllBytes();
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .contentType(MediaType.APPLICATION_JSON)
        .body(ACCEPTED_ONE);
  }
}
