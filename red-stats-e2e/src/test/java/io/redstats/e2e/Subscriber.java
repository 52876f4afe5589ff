package io.redstats.e2e;

import io.redstats.contract.event.Red;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket subscriber that behaves as the notifier's README asks a client to: it authenticates
 * with its first message, as a browser does (no token in the URL), keeps the {@code resume} of the
 * last message received and the {@code connection} of its {@code subscribed}, and, whenever its
 * socket closes or breaks (node killed, nginx killed, 1013, 4408), reconnects through the load
 * balancer with both until it is subscribed again. Records every alert with its arrival time,
 * duplicates included.
 */
final class Subscriber implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Pause before reconnecting: long enough not to spin while nginx or both nodes are down. */
  private static final Duration RECONNECT_PAUSE = Duration.ofMillis(500);

  /** Shared by every subscriber: reconnects are rare and short. */
  private static final ScheduledExecutorService RECONNECTS =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread thread = new Thread(r, "subscriber-reconnect");
            thread.setDaemon(true);
            return thread;
          });

  final long clientId;
  final int minRedUnits;
  private final String wsUrl;
  private final String token;

  /** image_id → how many times it was alerted. */
  private final Map<Long, Integer> received = new ConcurrentHashMap<>();

  /** image_id → System.nanoTime() of its first alert. */
  private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();

  private final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
  private final AtomicInteger generation = new AtomicInteger();
  private final AtomicInteger reconnects = new AtomicInteger();
  private final AtomicInteger tokenRefusals = new AtomicInteger();
  private final CountDownLatch firstSubscribed = new CountDownLatch(1);
  private volatile String resume;
  private volatile String connection;
  private volatile WebSocket socket;
  private volatile boolean closed;

  Subscriber(String wsUrl, String token, long clientId, int minRedUnits) {
    this.wsUrl = wsUrl;
    this.token = token;
    this.clientId = clientId;
    this.minRedUnits = minRedUnits;
  }

  /** Connects (retrying) and waits for the first {@code subscribed}. */
  void start(Duration timeout) throws InterruptedException {
    connect();
    awaitSubscribed(timeout);
  }

  /**
   * Starts connecting (retrying until subscribed) without waiting: see {@link #awaitSubscribed}.
   */
  void connect() {
    connect(generation.get());
  }

  /** Waits for the first {@code subscribed} after {@link #connect()}. */
  void awaitSubscribed(Duration timeout) throws InterruptedException {
    if (!firstSubscribed.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("subscriber of client " + clientId + " never subscribed");
    }
  }

  private void connect(int gen) {
    if (closed || gen != generation.get()) {
      return;
    }
    String uri =
        wsUrl
            + "?min_red="
            + Red.toDecimal(minRedUnits).toPlainString()
            + (resume == null ? "" : "&resume=" + resume)
            + (connection == null ? "" : "&connection=" + connection);
    CLIENT
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create(uri), new Listener(gen))
        .whenComplete(
            (ws, error) -> {
              if (error != null) {
                reconnectLater(gen);
              } else {
                socket = ws;
                ws.sendText(authMessage(), true);
              }
            });
  }

  /** Called once per broken socket: the generation makes onError-then-onClose count once. */
  private void reconnectLater(int gen) {
    if (closed || !generation.compareAndSet(gen, gen + 1)) {
      return;
    }
    reconnects.incrementAndGet();
    RECONNECTS.schedule(() -> connect(gen + 1), RECONNECT_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private String authMessage() {
    return JSON.writeValueAsString(Map.of("type", "auth", "token", token));
  }

  Map<Long, Integer> received() {
    return received;
  }

  Map<Long, Long> arrivals() {
    return arrivals;
  }

  int reconnects() {
    return reconnects.get();
  }

  int tokenRefusals() {
    return tokenRefusals.get();
  }

  List<Integer> closeCodes() {
    return closeCodes;
  }

  @Override
  public void close() {
    closed = true;
    WebSocket current = socket;
    if (current != null) {
      current.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final int gen;
    private final StringBuilder partial = new StringBuilder();

    Listener(int gen) {
      this.gen = gen;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        onMessage(JSON.readTree(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    private void onMessage(JsonNode message) {
      String type = message.path("type").asString();
      if ("alert".equals(type)) {
        long imageId = message.path("image_id").asLong();
        arrivals.putIfAbsent(imageId, System.nanoTime());
        received.merge(imageId, 1, Integer::sum);
      } else if ("subscribed".equals(type)) {
        String key = message.path("connection").asString();
        if (!key.isEmpty()) {
          connection = key;
        }
        firstSubscribed.countDown();
      }
      String token = message.path("resume").asString();
      if (!token.isEmpty()) {
        resume = token;
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCodes.add(statusCode);
      if (statusCode == 4400 || statusCode == 4410) {
        // The token cannot be honoured: start over without it (the gap shows in verification).
        tokenRefusals.incrementAndGet();
        resume = null;
      }
      reconnectLater(gen);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      reconnectLater(gen);
    }
  }
}
