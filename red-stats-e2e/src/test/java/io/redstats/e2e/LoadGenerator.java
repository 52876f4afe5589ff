package io.redstats.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.event.Red;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole system under a steady load, as its users make it: a simulated RED posting events at a
 * target rate, WebSocket subscribers with mixed thresholds through nginx, and an analyst querying
 * GET /stats every second. Everything it does is written down (which image was acknowledged when,
 * what each subscriber received) for {@link Verification} to check against ClickHouse.
 *
 * <p>Two paths in: a share of the images ({@code redShare}) goes through RED's {@code POST /images}
 * — the real path, including RED's outbox — and the rest straight to ingest's {@code POST /stats},
 * as RED's dispatcher does, because RED's image decoding would otherwise cap the rate on a small
 * machine long before RED_STATS does. Both retry until acknowledged, like RED: direct events with
 * the same image_id, uploads with the same Idempotency-Key, so a retry is never a new image.
 *
 * <p>Each run uses client ids of its own, so runs (and other tests on the same stack) never see
 * each other's images. Visibility is the default ({@code own}): a subscriber is alerted about its
 * own client's images only.
 */
final class LoadGenerator implements AutoCloseable {

  /** What to run: events per second, the share through RED, subscribers and client ids. */
  record Settings(double rate, double redShare, int subscribers, int clients) {
    static Settings of(double rate, int subscribers) {
      return new Settings(
          rate, DEFAULT_RED_SHARE, subscribers, Math.max(1, Math.min(4, subscribers)));
    }
  }

  /** One acknowledged image: ack time is when the 202 (direct) or 201/200 (RED) arrived. */
  record Acked(long imageId, long clientId, int redUnits, boolean viaRed, long ackNanos) {}

  /** One image in ten through RED: enough to prove that path, cheap enough for two cores. */
  static final double DEFAULT_RED_SHARE = 0.1;

  /** Subscribers' thresholds, in units: from "everything" to "almost nothing". */
  private static final int[] THRESHOLDS = {0, 20_000, 50_000, 80_000, 95_000, 99_000};

  /** Concurrent posters: enough for a few hundred events/s of ~5 ms requests. */
  private static final int DIRECT_THREADS = 8;

  /** RED decodes every image: three uploads at a time keep it busy without starving the rest. */
  private static final int RED_THREADS = 3;

  /** Between retries when the answer gave no Retry-After (connection refused, timeout). */
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

  private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(5);
  private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(60);
  private static final long PACER_TICK_MS = 20;
  private static final long ANALYST_PERIOD_MS = 1_000;

  final Settings settings;
  final long[] clientIds;
  final long startMs = System.currentTimeMillis();
  private final Stack stack;
  private final String ingestToken;
  private final Map<Long, String> uploadTokens = new ConcurrentHashMap<>();
  private final Map<Long, String> queryTokens = new ConcurrentHashMap<>();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final Map<Long, Acked> acked = new ConcurrentHashMap<>();
  private final long imageBase;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong abandoned = new AtomicLong();
  private final AtomicLong analystOk = new AtomicLong();
  private final AtomicLong analystFailed = new AtomicLong();
  private final AtomicLong analystRegressions = new AtomicLong();
  private final Map<Long, Long> analystLast = new ConcurrentHashMap<>();
  private final ExecutorService direct = Executors.newFixedThreadPool(DIRECT_THREADS);
  private final ExecutorService red = Executors.newFixedThreadPool(RED_THREADS);
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
  private long issued;
  private long postingStartNanos;
  private volatile long postingEndNanos;
  private volatile boolean giveUp;

  LoadGenerator(Stack stack, Settings settings) {
    this.stack = stack;
    this.settings = settings;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    // Far above RED's identity ids and from a random base, so runs never share an image_id.
    this.imageBase = random.nextLong(1L << 52, 1L << 61);
    this.clientIds = new long[settings.clients()];
    long firstClient = random.nextLong(1L << 40, 1L << 50);
    for (int i = 0; i < clientIds.length; i++) {
      clientIds[i] = firstClient + i;
    }
    this.ingestToken = stack.token(null, Scopes.INGEST);
  }

  /**
   * Subscribes everyone (all connecting at once, then waiting until each is subscribed), then
   * starts posting and querying.
   */
  LoadGenerator start() throws InterruptedException {
    for (int i = 0; i < settings.subscribers(); i++) {
      long clientId = clientIds[i % clientIds.length];
      Subscriber subscriber =
          new Subscriber(
              stack.nginx.wsUrl("/alerts"),
              stack.token(clientId, Scopes.SUBSCRIBE),
              clientId,
              THRESHOLDS[i % THRESHOLDS.length]);
      subscribers.add(subscriber);
      subscriber.connect();
    }
    long deadline = System.nanoTime() + SUBSCRIBE_TIMEOUT.toNanos();
    for (Subscriber subscriber : subscribers) {
      subscriber.awaitSubscribed(Duration.ofNanos(deadline - System.nanoTime()));
    }
    postingStartNanos = System.nanoTime();
    timers.scheduleAtFixedRate(this::pace, 0, PACER_TICK_MS, TimeUnit.MILLISECONDS);
    timers.scheduleAtFixedRate(
        this::query, ANALYST_PERIOD_MS, ANALYST_PERIOD_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** No new events from now on; those in flight keep retrying until acknowledged. */
  synchronized void stopPosting() {
    if (postingEndNanos == 0) {
      postingEndNanos = System.nanoTime();
    }
  }

  /** Waits until every event issued is acknowledged or refused; false if some still retry. */
  boolean awaitSettled(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(200);
    }
    return true;
  }

  private synchronized void pace() {
    if (postingEndNanos != 0) {
      return;
    }
    double elapsed = (System.nanoTime() - postingStartNanos) / 1e9;
    long due = (long) (elapsed * settings.rate());
    while (issued < due) {
      long n = issued++;
      pending.incrementAndGet();
      // Every 1/redShare-th event goes through RED, spread evenly over the run.
      boolean viaRed =
          Math.floor((n + 1) * settings.redShare()) > Math.floor(n * settings.redShare());
      if (viaRed) {
        red.execute(() -> upload(n));
      } else {
        direct.execute(() -> postDirect(n));
      }
    }
  }

  private void postDirect(long n) {
    long imageId = imageBase + n;
    long clientId = clientIds[(int) (n % clientIds.length)];
    int redUnits = ThreadLocalRandom.current().nextInt(0, Red.SCALE + 1);
    byte[] body =
        ("{\"image_id\":"
                + imageId
                + ",\"client_id\":"
                + clientId
                + ",\"timestamp\":"
                + System.currentTimeMillis()
                + ",\"red\":"
                + Red.toDecimal(redUnits).toPlainString()
                + "}")
            .getBytes(UTF_8);
    retryUntilAnswered(
        () -> Http.post(stack.ingestUrl + "/stats", ingestToken, "application/json", body),
        202,
        response ->
            acked.put(imageId, new Acked(imageId, clientId, redUnits, false, System.nanoTime())));
  }

  private void upload(long n) {
    long clientId = clientIds[(int) (n % clientIds.length)];
    byte[] png = Images.png((int) (n % 101));
    String key = UUID.randomUUID().toString();
    String token = uploadTokens.computeIfAbsent(clientId, c -> stack.token(c, Scopes.UPLOAD));
    retryUntilAnswered(
        () -> Http.post(stack.redUrl + "/images", token, "image/png", png, key),
        201,
        response -> {
          var json = Http.JSON.readTree(response.body());
          long imageId = json.path("image_id").asLong();
          int redUnits = Red.toUnits(json.path("red").decimalValue());
          acknowledge(new Acked(imageId, clientId, redUnits, true, System.nanoTime()));
        });
  }

  private void acknowledge(Acked image) {
    acked.put(image.imageId(), image);
  }

  private interface Request {
    HttpResponse<String> send() throws Exception;
  }

  private interface OnAccepted {
    void accept(HttpResponse<String> response);
  }

  /**
   * RED's delivery rule: an acknowledgement ends it; 4xx (but 429) is a refusal, counted and never
   * retried; anything else (503, 5xx, timeout, connection refused) is retried after Retry-After or
   * a short pause, for as long as the run lasts.
   */
  private void retryUntilAnswered(Request request, int created, OnAccepted onAccepted) {
    try {
      while (!giveUp) {
        Duration pause = RETRY_PAUSE;
        try {
          HttpResponse<String> response = request.send();
          int status = response.statusCode();
          if (status == created || (status == 200 && created == 201)) {
            onAccepted.accept(response);
            return;
          }
          if (status >= 400 && status < 500 && status != 429) {
            rejected.incrementAndGet();
            System.err.println("load: refused " + status + " " + response.body());
            return;
          }
          pause = retryAfter(response);
        } catch (IOException e) {
          // connection refused or reset, timeout: the service is down; try again
        }
        retries.incrementAndGet();
        Thread.sleep(pause.toMillis());
      }
      abandoned.incrementAndGet();
    } catch (InterruptedException e) {
      abandoned.incrementAndGet();
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      abandoned.incrementAndGet();
      System.err.println("load: " + e);
    } finally {
      pending.decrementAndGet();
    }
  }

  private static Duration retryAfter(HttpResponse<String> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(
            seconds -> {
              try {
                return Duration.ofSeconds(Long.parseLong(seconds.trim()));
              } catch (NumberFormatException e) {
                return RETRY_PAUSE;
              }
            })
        .map(pause -> pause.compareTo(MAX_RETRY_PAUSE) > 0 ? MAX_RETRY_PAUSE : pause)
        .orElse(RETRY_PAUSE);
  }

  /** The analyst: one client's counts, every second; a count that goes down is a regression. */
  private void query() {
    long clientId = clientIds[ThreadLocalRandom.current().nextInt(clientIds.length)];
    try {
      HttpResponse<String> response =
          Http.get(statsUrl(clientId, 50_000, System.currentTimeMillis()), queryToken(clientId));
      if (response.statusCode() != 200) {
        analystFailed.incrementAndGet();
        return;
      }
      long images = Http.JSON.readTree(response.body()).path("images").asLong();
      Long before = analystLast.put(clientId, images);
      if (before != null && images < before) {
        analystRegressions.incrementAndGet();
      }
      analystOk.incrementAndGet();
    } catch (Exception e) {
      analystFailed.incrementAndGet();
    }
  }

  /** GET /stats for one client over the whole run (and a minute either side). */
  String statsUrl(long clientId, int redUnits, long nowMs) {
    return stack.apiUrl
        + "/stats?from="
        + (startMs - 60_000)
        + "&to="
        + (nowMs + 60_000)
        + "&red="
        + Red.toDecimal(redUnits).toPlainString()
        + "&client_id="
        + clientId;
  }

  String queryToken(long clientId) {
    return queryTokens.computeIfAbsent(clientId, c -> stack.token(c, Scopes.QUERY));
  }

  Collection<Acked> acked() {
    return acked.values();
  }

  Acked acked(long imageId) {
    return acked.get(imageId);
  }

  List<Subscriber> subscribers() {
    return subscribers;
  }

  synchronized long issued() {
    return issued;
  }

  long pending() {
    return pending.get();
  }

  long rejected() {
    return rejected.get();
  }

  long retries() {
    return retries.get();
  }

  long abandoned() {
    return abandoned.get();
  }

  long analystOk() {
    return analystOk.get();
  }

  long analystFailed() {
    return analystFailed.get();
  }

  long analystRegressions() {
    return analystRegressions.get();
  }

  /** Acknowledgements per second, from the first event to the last acknowledgement. */
  double ackedPerSecond() {
    return perSecond(acked.values(), postingStartNanos);
  }

  /**
   * ACKS per second over the window in which they arrived: from STARTNANOS (posting began) to the
   * latest acknowledgement of either path (direct or through RED), 0 without any.
   */
  static double perSecond(Collection<Acked> acks, long startNanos) {
    long end = acks.stream().mapToLong(Acked::ackNanos).max().orElse(startNanos);
    return acks.isEmpty() ? 0 : acks.size() / Math.max(0.001, (end - startNanos) / 1e9);
  }

  /** Stops everything: posters still retrying give up, subscribers disconnect. */
  @Override
  public void close() {
    stopPosting();
    giveUp = true;
    timers.shutdownNow();
    direct.shutdownNow();
    red.shutdownNow();
    subscribers.forEach(Subscriber::close);
  }
}
