package io.redstats.red.delivery;

import io.redstats.contract.event.EventJson;
import io.redstats.red.outbox.ImageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Posts a batch of events to one ingest URL and classifies the answer; it never retries itself
 * (that is the dispatcher's policy) and never throws for a failed delivery.
 */
@Component
class IngestClient {

  /** Enough of an error body to see what ingest said, not a whole HTML error page. */
  private static final int MAX_ERROR_BODY_BYTES = 1000;

  private final RestClient rest;
  private final ProducerToken token;

  IngestClient(DeliveryProperties properties, ProducerToken token) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(properties.delivery().connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
    factory.setReadTimeout(properties.delivery().readTimeout());
    this.rest = RestClient.builder().requestFactory(factory).build();
    this.token = token;
  }

  Outcome send(URI ingestUrl, List<ImageRecord> batch) {
    URI target = statsUri(ingestUrl);
    try {
      return rest.post()
          .uri(target)
          .contentType(MediaType.APPLICATION_JSON)
          .header(HttpHeaders.AUTHORIZATION, token.authorization())
          .body(body(batch))
          .exchangeForRequiredValue(
              (request, response) ->
                  classify(
                      response.getStatusCode().value(),
                      response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                      response.getBody()),
              true);
    } catch (RestClientException e) {
      return new Outcome.Retry(target + ": " + rootMessage(e), null);
    }
  }

  /** The single event as an object, several as a JSON array (ingest accepts both). */
  static byte[] body(List<ImageRecord> batch) {
    if (batch.size() == 1) {
      return EventJson.toBytes(batch.get(0).toEvent());
    }
    return batch.stream()
        .map(row -> EventJson.toJson(row.toEvent()))
        .collect(Collectors.joining(",", "[", "]"))
        .getBytes(StandardCharsets.UTF_8);
  }

  static URI statsUri(URI ingestUrl) {
    String base = ingestUrl.toString();
    return URI.create(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/stats");
  }

  static Outcome classify(int status, String retryAfterHeader, InputStream body)
      throws IOException {
    if (status >= 200 && status < 300) {
      return new Outcome.Accepted();
    }
    String error =
        "HTTP "
            + status
            + " "
            + new String(body.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
    if (status == 400 || status == 413 || status == 422) {
      return new Outcome.Rejected(error);
    }
    if (status == 409) {
      return new Outcome.Conflict(error);
    }
    return new Outcome.Retry(error, RetryAfter.parse(retryAfterHeader, Instant.now()));
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
