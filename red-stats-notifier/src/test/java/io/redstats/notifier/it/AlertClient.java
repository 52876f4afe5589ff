package io.redstats.notifier.it;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real WebSocket client of the alert protocol (the JDK's), recording what it receives. */
final class AlertClient implements AutoCloseable {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final List<JsonNode> alerts = new ArrayList<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private volatile String closeReason;
  private volatile String lastToken;
  private volatile String connection;
  private WebSocket socket;

  private AlertClient() {}

  /** Thrown when the server refused the handshake. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status) {
      super("handshake refused with " + status);
      this.status = status;
    }
  }

  /** How the client hands its token over; never in the URL. */
  enum Auth {
    /** {@code Authorization: Bearer} on the upgrade request (clients that can set headers). */
    HEADER,
    /** {@code {"type":"auth","token":…}} as the first message (what a browser does). */
    FIRST_MESSAGE
  }

  /** Connects, authenticating with its first message; waits for the {@code subscribed} message. */
  static AlertClient connect(String wsUrl, String token, String minRed, String resume) {
    return connectWith(wsUrl, token, query(minRed, resume, null), Auth.FIRST_MESSAGE);
  }

  static AlertClient connectWith(String wsUrl, String token, String query, Auth auth) {
    AlertClient client = open(wsUrl, query, auth == Auth.HEADER ? token : null);
    if (token != null && auth == Auth.FIRST_MESSAGE) {
      client.send(authMessage(token));
    }
    JsonNode first = client.next(Duration.ofSeconds(10));
    if (first == null || !"subscribed".equals(first.get("type").stringValue())) {
      Integer code = client.awaitClose(Duration.ofMillis(100));
      throw new IllegalStateException(
          "expected a subscribed message first, got " + first + " (close " + code + ")");
    }
    client.connection = first.has("connection") ? first.get("connection").stringValue() : null;
    return client;
  }

  /**
   * Opens the socket and returns at once, without authenticating.
   *
   * @param headerToken sent as {@code Authorization: Bearer}, or null for none
   */
  static AlertClient open(String wsUrl, String query, String headerToken) {
    AlertClient client = new AlertClient();
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (headerToken != null) {
      builder.header("Authorization", "Bearer " + headerToken);
    }
    try {
      client.socket =
          builder
              .buildAsync(URI.create(wsUrl + "?" + query), client.listener())
              .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        throw new Refused(refused.getResponse().statusCode());
      }
      throw new IllegalStateException("cannot connect to " + wsUrl, e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to " + wsUrl, e);
    }
    return client;
  }

  static String authMessage(String token) {
    return MAPPER.writeValueAsString(Map.of("type", "auth", "token", token));
  }

  static String query(String minRed, String resume, Long clientId) {
    return query(minRed, resume, clientId, null);
  }

  static String query(String minRed, String resume, Long clientId, String connection) {
    StringBuilder q = new StringBuilder("min_red=").append(encode(minRed));
    if (resume != null) {
      q.append("&resume=").append(encode(resume));
    }
    if (clientId != null) {
      q.append("&client_id=").append(clientId);
    }
    if (connection != null) {
      q.append("&connection=").append(encode(connection));
    }
    return q.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          JsonNode node = MAPPER.readTree(partial.toString());
          partial.setLength(0);
          if (node.has("resume")) {
            lastToken = node.get("resume").stringValue();
          }
          messages.add(node);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closeCode.complete(1006);
      }
    };
  }

  /** The next message of any type, or null after the timeout. */
  JsonNode next(Duration timeout) {
    try {
      return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The next message, which must be an ack; alerts before it are kept. */
  JsonNode awaitAck(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode node = next(Duration.ofNanos(deadline - System.nanoTime()));
      if (node == null) {
        break;
      }
      if ("alert".equals(node.get("type").stringValue())) {
        alerts.add(node);
        continue;
      }
      return node;
    }
    throw new AssertionError("no ack within " + timeout);
  }

  /**
   * Collects alerts until {@code count} arrived in all, or the timeout passed; returns all so far.
   */
  List<JsonNode> alerts(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (alerts.size() < count && System.nanoTime() < deadline) {
      collect(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
    return List.copyOf(alerts);
  }

  /** Whatever alerts arrive during {@code quiet}, added to those so far. */
  List<JsonNode> alertsAfterQuiet(Duration quiet) {
    long deadline = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < deadline) {
      collect(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
    return List.copyOf(alerts);
  }

  private void collect(Duration timeout) {
    JsonNode node = next(timeout);
    if (node != null && "alert".equals(node.get("type").stringValue())) {
      alerts.add(node);
    }
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  /** Waits for the next message (any type), failing after the timeout. */
  JsonNode awaitMessage(Duration timeout) {
    JsonNode node = next(timeout);
    if (node == null) {
      throw new AssertionError("no message within " + timeout);
    }
    return node;
  }

  String lastToken() {
    return lastToken;
  }

  /** The {@code connection} of the {@code subscribed} message, to send when reconnecting. */
  String connection() {
    return connection;
  }

  /** The reason of the server's close frame, once closed. */
  String closeReason() {
    return closeReason;
  }

  /** The close code the server sent (1006 when the connection broke), or null after the timeout. */
  Integer awaitClose(Duration timeout) {
    try {
      return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (socket != null && !socket.isOutputClosed()) {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        socket.abort();
      }
    }
    if (socket != null) {
      awaitClose(Duration.ofSeconds(5));
      socket.abort();
    }
  }
}
