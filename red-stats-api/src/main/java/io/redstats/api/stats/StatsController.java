package io.redstats.api.stats;

import io.redstats.api.params.QueryParameters;
import io.redstats.api.params.SeriesQuery;
import io.redstats.api.params.StatsQuery;
import io.redstats.kit.security.Caller;
import io.redstats.kit.security.VisibilityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/stats", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "stats", description = "Exact counts of images and of images above a red threshold")
@SecurityRequirement(name = "bearer")
class StatsController {

  private static final String FROM_DOC =
      "Start, inclusive: epoch milliseconds or ISO-8601 with an offset (2026-11-23T10:00:00Z)";
  private static final String TO_DOC = "End, exclusive; same formats as from";
  private static final String RED_DOC =
      "Threshold in [0, 1]; an image counts as above when its red is strictly greater"
          + " (compared at five decimals)";
  private static final String CLIENT_DOC =
      "Only this client's images; a client token may only name its own client";

  private final ClickHouseStats stats;
  private final VisibilityRule visibility;

  StatsController(ClickHouseStats stats, VisibilityRule visibility) {
    this.stats = stats;
    this.visibility = visibility;
  }

  @GetMapping
  @Operation(summary = "How many images in [from, to), and how many with red above the threshold")
  StatsResponse stats(
      @Parameter(description = FROM_DOC) @RequestParam(required = false) String from,
      @Parameter(description = TO_DOC) @RequestParam(required = false) String to,
      @Parameter(description = RED_DOC) @RequestParam(required = false) String red,
      @Parameter(description = CLIENT_DOC) @RequestParam(name = "client_id", required = false)
          String clientId,
      @AuthenticationPrincipal Jwt token) {
    StatsQuery query = QueryParameters.stats(from, to, red, clientId);
    query = query.forClient(visibility.visibleClient(Caller.of(token), query.clientId()));
    Counts counts = stats.count(query);
    return new StatsResponse(
        query.fromMs(),
        query.toMs(),
        plain(query.threshold()),
        query.clientId(),
        counts.images(),
        counts.above());
  }

  @GetMapping("/series")
  @Operation(summary = "The same counts per step (1m, 5m, 1h, 1d), empty steps as zeros")
  SeriesResponse series(
      @Parameter(description = FROM_DOC) @RequestParam(required = false) String from,
      @Parameter(description = TO_DOC) @RequestParam(required = false) String to,
      @Parameter(description = "Bucket width: 1m, 5m, 1h or 1d; at most 10000 buckets")
          @RequestParam(required = false)
          String step,
      @Parameter(description = RED_DOC) @RequestParam(required = false) String red,
      @Parameter(description = CLIENT_DOC) @RequestParam(name = "client_id", required = false)
          String clientId,
      @AuthenticationPrincipal Jwt token) {
    SeriesQuery query = QueryParameters.series(from, to, step, red, clientId);
    query = query.forClient(visibility.visibleClient(Caller.of(token), query.range().clientId()));
    StatsQuery range = query.range();
    return new SeriesResponse(
        range.fromMs(),
        range.toMs(),
        query.step().label(),
        plain(range.threshold()),
        range.clientId(),
        stats.series(query));
  }

  /** 0.85, not 0.85000; 0 and 1 stay integers. */
  private static BigDecimal plain(BigDecimal threshold) {
    BigDecimal stripped = threshold.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
