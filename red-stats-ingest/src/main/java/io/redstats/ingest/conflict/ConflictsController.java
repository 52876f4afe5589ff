package io.redstats.ingest.conflict;

import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.event.ImageConflict;
import io.redstats.contract.event.StatEvent;
import io.redstats.ingest.dedup.KnownImages;
import io.redstats.kit.errors.ErrorBody;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /conflicts}: the repeats the dedup dropped because their content differed, for the
 * producer that lost (RED marks its image {@code conflict}) and for admins. {@code POST
 * /internal/images/lookup}: a peer ingest node asks what this node's dedup store holds.
 */
@RestController
class ConflictsController {

  /** A page never holds more than this; a reader pages on with {@code next}. */
  static final int MAX_LIMIT = 1_000;

  private final ConflictLog log;
  private final KnownImages known;

  ConflictsController(ConflictLog log, KnownImages known) {
    this.log = log;
    this.known = known;
  }

  /** One page of conflicts. */
  record ConflictsPage(List<Map<String, Object>> conflicts, String next) {}

  @Operation(
      summary = "Conflicts the dedup recorded",
      description =
          "Repeats of an image_id with other content that arrived too close together to be"
              + " refused with 409; the first one is kept and counted, the other is listed here."
              + " A token with a client_id sees only its own client's refused events.",
      security = @SecurityRequirement(name = "bearer"))
  @GetMapping(path = "/conflicts", produces = MediaType.APPLICATION_JSON_VALUE)
  ConflictsPage conflicts(
      @Parameter(description = "the 'next' of the previous page; absent: from the oldest kept")
          @RequestParam(required = false)
          String after,
      @RequestParam(defaultValue = "100") int limit,
      @AuthenticationPrincipal Jwt caller) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new BadParameter("limit", "must be between 1 and " + MAX_LIMIT);
    }
    ConflictCursor cursor;
    try {
      cursor = ConflictCursor.parse(after);
    } catch (IllegalArgumentException e) {
      throw new BadParameter("after", e.getMessage());
    }
    Long client = JwtSupport.clientId(caller);
    Predicate<ImageConflict> visible =
        client == null ? c -> true : c -> c.refused().clientId() == client;
    ConflictLog.Page page = log.read(cursor, limit, visible);
    List<Map<String, Object>> body = new ArrayList<>();
    for (ImageConflict conflict : page.conflicts()) {
      body.add(
          Map.of(
              "image_id", conflict.imageId(),
              "kept", event(conflict.kept()),
              "refused", event(conflict.refused()),
              "detected_at", conflict.detectedAtMs()));
    }
    return new ConflictsPage(body, page.next().toString());
  }

  private static Map<String, Object> event(StatEvent event) {
    return Map.of(
        "image_id", event.imageId(),
        "client_id", event.clientId(),
        "timestamp", event.timestampMs(),
        "red", event.red());
  }

  /**
   * The peers' question: which of these image_ids this node's dedup store holds. A token with a
   * client_id learns only its own client's images.
   */
  @PostMapping(
      path = "/internal/images/lookup",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  String lookup(@RequestBody List<Long> imageIds, @AuthenticationPrincipal Jwt caller) {
    if (imageIds.size() > MAX_LIMIT * 100) {
      throw new BadParameter(null, "at most " + MAX_LIMIT * 100 + " image_ids per question");
    }
    Long client = JwtSupport.clientId(caller);
    List<StatEvent> found = new ArrayList<>();
    for (StatEvent event : known.findLocal(imageIds).values()) {
      if (client == null || event.clientId() == client) {
        found.add(event);
      }
    }
    return KnownImages.writeEvents(found);
  }

  /** A query parameter or body that cannot be used. */
  static final class BadParameter extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    BadParameter(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }

  @ExceptionHandler(BadParameter.class)
  ResponseEntity<ErrorBody> badParameter(BadParameter e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .contentType(MediaType.APPLICATION_JSON)
        .body(ErrorBody.of(e.field, e.getMessage()));
  }
}
