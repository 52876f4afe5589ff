package io.redstats.ingest.intake;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.kit.errors.ErrorBody;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /stats}: RED's measurements, one at a time or in batches. */
@RestController
class StatsController {

  static final String NDJSON = "application/x-ndjson";

  private final IngestService service;
  private final long maxBodyBytes;

  StatsController(IngestService service, IngestProperties properties) {
    this.service = service;
    this.maxBodyBytes = properties.maxBodySize().toBytes();
  }

  /** The answer to an accepted request. */
  record Accepted(int accepted) {}

  @Operation(
      summary = "Record measurements",
      description =
          "One event as a JSON object, a JSON array of events, or NDJSON (one event a line)."
              + " 202 only after Kafka acknowledged every event (acks=all); 400 names every bad"
              + " item and field and stores nothing; 503 means not confirmed: retrying with the"
              + " same image_ids is safe (counted once). Unknown fields are ignored.",
      security = @SecurityRequirement(name = "bearer"),
      responses = {
        @ApiResponse(responseCode = "202", description = "every event is in Kafka"),
        @ApiResponse(
            responseCode = "400",
            description = "malformed JSON or invalid events; nothing stored",
            content = @Content(schema = @Schema(implementation = ErrorBody.class))),
        @ApiResponse(responseCode = "401", description = "no valid token"),
        @ApiResponse(
            responseCode = "403",
            description =
                "token without scope ingest, or an event of another client than the token's"
                    + " client_id; nothing stored",
            content = @Content(schema = @Schema(implementation = ErrorBody.class))),
        @ApiResponse(
            responseCode = "409",
            description =
                "an image_id already known with other content (client_id, timestamp or red);"
                    + " names each differing field; nothing stored",
            content = @Content(schema = @Schema(implementation = ErrorBody.class))),
        @ApiResponse(responseCode = "413", description = "body or batch too large"),
        @ApiResponse(responseCode = "415", description = "not JSON or NDJSON"),
        @ApiResponse(
            responseCode = "503",
            description =
                "not confirmed: Kafka did not acknowledge every event in time, so some may or may"
                    + " not be stored; retry after Retry-After seconds with the same image_ids"
                    + " (each is counted once)")
      })
  @PostMapping(
      path = "/stats",
      consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON},
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Accepted> post(HttpServletRequest request, @AuthenticationPrincipal Jwt caller)
      throws IOException {
    byte[] body = readBounded(request);
    boolean ndjson =
        MediaType.parseMediaType(request.getContentType())
            .isCompatibleWith(MediaType.parseMediaType(NDJSON));
    Long client = caller == null ? null : JwtSupport.clientId(caller);
    int accepted = ndjson ? service.acceptNdjson(body, client) : service.acceptJson(body, client);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(accepted));
  }

  /** The body, refusing before reading it all when it is larger than the limit. */
  private byte[] readBounded(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > maxBodyBytes) {
      throw tooLarge();
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (body.length > maxBodyBytes) {
        throw tooLarge();
      }
      return body;
    }
  }

  private RefusedException tooLarge() {
    return RefusedException.tooLarge("the body is larger than " + maxBodyBytes + " bytes");
  }
}
