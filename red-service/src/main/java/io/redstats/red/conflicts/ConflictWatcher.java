package io.redstats.red.conflicts;

import io.redstats.contract.event.Red;
import io.redstats.red.delivery.DeliveryProperties;
import io.redstats.red.delivery.ProducerToken;
import io.redstats.red.outbox.ImageRepository;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds RED's images that lost a conflict nobody could see in time: two producers posted the same
 * image_id with different content at the same instant, ingest answered 202 to both and kept one.
 * Ingest lists such conflicts at {@code GET /conflicts?after=&limit=}; every {@code poll-interval}
 * the watcher reads what is new since its cursor (kept in RED's database) and marks {@code
 * conflict} each RED image whose id and content equal a {@code refused} entry.
 *
 * <p>Error policy: a 404 (an ingest that has no conflict list yet) is logged once and asked again
 * at the next interval; any other failure is logged once per run of failures, the cursor stays, and
 * the next interval asks again from it. Marking is idempotent, so a page read twice does no harm.
 */
@Component
class ConflictWatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ConflictWatcher.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Enough of an error body to see what ingest said. */
  private static final int MAX_ERROR_CHARS = 300;

  private final ConflictProperties properties;
  private final List<URI> ingestUrls;
  private final ProducerToken token;
  private final ImageRepository images;
  private final ConflictCursor cursor;
  private final HttpClient http;
  private final Duration readTimeout;
  private ScheduledExecutorService scheduler;
  private volatile boolean running;
  private boolean failing;
  private boolean missingLogged;

  ConflictWatcher(
      ConflictProperties properties,
      DeliveryProperties delivery,
      ProducerToken token,
      ImageRepository images,
      ConflictCursor cursor) {
    this.properties = properties;
    this.ingestUrls = delivery.ingestUrls();
    this.token = token;
    this.images = images;
    this.cursor = cursor;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(delivery.delivery().connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.readTimeout = delivery.delivery().readTimeout();
  }

  /** One conflict's losing side, as ingest lists it. */
  record Refused(long imageId, long clientId, long timestampMs, int redUnits, long detectedAtMs) {}

  /** One page of ingest's list: the refused entries and the cursor after them (null: none). */
  record Page(List<Refused> refused, String next) {}

  @Override
  public void start() {
    running = true;
    if (!properties.enabled()) {
      log.info("conflict watcher disabled (redstats.red.conflicts.enabled=false)");
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "red-conflict-watcher");
              t.setDaemon(true);
              return t;
            });
    long interval = properties.pollInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    running = false;
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Reads every page that is new, marking as it goes. Never throws (it runs on a schedule). */
  void poll() {
    try {
      pollPages();
    } catch (RuntimeException e) {
      failed("conflict watcher failed, asking again in " + properties.pollInterval() + ": " + e);
    }
  }

  private void pollPages() {
    Optional<String> after = cursor.load();
    while (running) {
      Optional<Page> page = fetch(after.orElse(null));
      if (page.isEmpty()) {
        return;
      }
      succeeded();
      int marked = 0;
      for (Refused refused : page.get().refused()) {
        if (mark(refused)) {
          marked++;
        }
      }
      if (marked > 0) {
        log.warn("{} of RED's images lost a conflict at ingest: marked conflict", marked);
      }
      String next = page.get().next();
      if (next == null || next.isEmpty() || after.filter(next::equals).isPresent()) {
        return;
      }
      cursor.save(next);
      after = Optional.of(next);
      if (page.get().refused().isEmpty()) {
        return;
      }
    }
  }

  private boolean mark(Refused refused) {
    return images.markConflictIfSame(
        refused.imageId(),
        refused.clientId(),
        Instant.ofEpochMilli(refused.timestampMs()),
        refused.redUnits(),
        "ingest kept another image under this id (conflict detected at "
            + Instant.ofEpochMilli(refused.detectedAtMs())
            + ")");
  }

  /** The page after AFTER from the first ingest URL that answers; empty when none could. */
  private Optional<Page> fetch(String after) {
    for (URI url : ingestUrls) {
      URI target = conflictsUri(url, after, properties.pageSize());
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(target)
                    .timeout(readTimeout)
                    .header(HttpHeaders.AUTHORIZATION, token.authorization())
                    .header(HttpHeaders.ACCEPT, "application/json")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 200) {
          return Optional.of(parse(response.body()));
        }
        if (status == 404) {
          if (!missingLogged) {
            missingLogged = true;
            log.info(
                "ingest at {} has no GET /conflicts (an older ingest); asking again every {}",
                url,
                properties.pollInterval());
          }
          return Optional.empty();
        }
        failed("GET " + target + " answered " + status + ": " + clip(response.body()));
      } catch (java.io.IOException e) {
        failed("GET " + target + " failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  static URI conflictsUri(URI ingestUrl, String after, int limit) {
    String base = ingestUrl.toString();
    StringBuilder uri =
        new StringBuilder(base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            .append("/conflicts?limit=")
            .append(limit);
    if (after != null) {
      uri.append("&after=").append(URLEncoder.encode(after, StandardCharsets.UTF_8));
    }
    return URI.create(uri.toString());
  }

  /**
   * {@code {"conflicts":[{"image_id":..,"kept":{..},"refused":{..},"detected_at":..}],"next":..}}
   */
  static Page parse(String body) {
    JsonNode root = JSON.readTree(body);
    List<Refused> refused = new ArrayList<>();
    JsonNode conflicts = root.path("conflicts");
    for (JsonNode conflict : conflicts) {
      JsonNode loser = conflict.path("refused");
      refused.add(
          new Refused(
              loser.path("image_id").asLong(conflict.path("image_id").asLong()),
              loser.path("client_id").asLong(),
              epochMillis(loser.path("timestamp")),
              Red.toUnits(loser.path("red").decimalValue()),
              epochMillis(conflict.path("detected_at"))));
    }
    JsonNode next = root.path("next");
    return new Page(refused, next.isString() ? next.asString() : null);
  }

  /** Epoch milliseconds, or an ISO-8601 time with an offset (the event's two forms). */
  private static long epochMillis(JsonNode node) {
    if (node.isString()) {
      return OffsetDateTime.parse(node.asString()).toInstant().toEpochMilli();
    }
    return node.asLong();
  }

  private void failed(String message) {
    if (!failing) {
      failing = true;
      log.warn("{} (logged once until it works again)", message);
    } else {
      log.debug(message);
    }
  }

  private void succeeded() {
    if (failing) {
      log.info("conflict watcher: ingest answers again");
    }
    failing = false;
  }

  private static String clip(String body) {
    return body.length() <= MAX_ERROR_CHARS ? body : body.substring(0, MAX_ERROR_CHARS);
  }
}
