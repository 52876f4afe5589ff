package io.redstats.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client (the JDK's) that records every alert it receives. It sends its token in
 * the {@code Authorization} header of the upgrade, as a client that can set headers does.
 */
final class AlertClient implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
  private final WebSocket socket;
  private volatile Integer closeCode;

  private AlertClient(URI uri, String token) throws Exception {
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .buildAsync(uri, new Listener())
            .get(15, TimeUnit.SECONDS);
  }

  static AlertClient connect(String wsUrl, String token, double minRed) throws Exception {
    return new AlertClient(URI.create(wsUrl + "?min_red=" + minRed), token);
  }

  List<JsonNode> alerts() {
    return messages.stream().filter(m -> "alert".equals(m.path("type").asString())).toList();
  }

  List<Long> alertedImageIds() {
    return alerts().stream().map(a -> a.path("image_id").asLong()).toList();
  }

  Integer closeCode() {
    return closeCode;
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(JSON.readTree(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode = statusCode;
      return null;
    }
  }
}
