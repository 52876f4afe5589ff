package io.redstats.red.it;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a running red-service over real HTTP, as one client. */
public final class RedClient {

  public static final String SECRET = "red-service-integration-test-secret-0123456789";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String token;

  private RedClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A client with an upload token for {@code clientId}. */
  public static RedClient forClient(int port, long clientId) {
    return new RedClient(
        "http://127.0.0.1:" + port,
        new TokenMinter(SECRET)
            .mint("client-" + clientId, clientId, List.of(Scopes.UPLOAD), Duration.ofHours(1)));
  }

  public static RedClient withToken(int port, String token) {
    return new RedClient("http://127.0.0.1:" + port, token);
  }

  /** A status, its Retry-After header (or null) and its JSON body (null when empty). */
  public record Reply(int status, String retryAfter, JsonNode json) {
    public long imageId() {
      return json.get("image_id").longValue();
    }

    public String errorField() {
      JsonNode field = json.get("errors").get(0).get("field");
      return field == null ? null : field.asString();
    }

    public String errorMessage() {
      return json.get("errors").get(0).get("message").asString();
    }
  }

  public Reply upload(byte[] bytes, String contentType) {
    return upload(bytes, contentType, null);
  }

  public Reply upload(byte[] bytes, String contentType, String idempotencyKey) {
    HttpRequest.Builder request =
        authorized(URI.create(base + "/images"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  public Reply uploadMultipart(byte[] bytes, String partName) {
    String boundary = "red-boundary-" + System.nanoTime();
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\""
                + partName
                + "\"; filename=\"x.png\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[head.length + bytes.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(bytes, 0, body, head.length, bytes.length);
    System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
    return send(
        authorized(URI.create(base + "/images"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  public Reply get(long imageId) {
    return send(authorized(URI.create(base + "/images/" + imageId)).GET().build());
  }

  private HttpRequest.Builder authorized(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }

  private static Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("Retry-After").orElse(null),
          body.isEmpty() ? null : JSON.readTree(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
