package io.redstats.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JDK's HTTP client with a bearer token, for the end-to-end tests. */
final class Http {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  static HttpResponse<String> post(String url, String token, String contentType, byte[] body)
      throws Exception {
    return post(url, token, contentType, body, null);
  }

  static HttpResponse<String> post(
      String url, String token, String contentType, byte[] body, String idempotencyKey)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .timeout(Duration.ofSeconds(30));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode getJson(String url, String token) throws Exception {
    HttpResponse<String> response = get(url, token);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET " + url + " → " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
