package io.redstats.red.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.redstats.contract.event.Red;
import io.redstats.contract.event.StatEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server standing in for ingest's {@code POST /stats}: it records every request and
 * answers 202, or what a test scripted for the next requests (503 with Retry-After, 400, 409, ...).
 * It also serves ingest's {@code GET /conflicts} from pages a test gives it.
 */
public final class IngestStub implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A scripted answer; {@code retryAfter} null sends no header. */
  public record Answer(int status, String retryAfter, String body) {
    public static Answer accepted() {
      return new Answer(202, null, "");
    }

    public static Answer unavailable(String retryAfter) {
      return new Answer(503, retryAfter, "{\"errors\":[{\"message\":\"kafka is unavailable\"}]}");
    }

    public static Answer badRequest(String body) {
      return new Answer(400, null, body);
    }

    /** What ingest answers a repeat of a known image_id with different content. */
    public static Answer conflict(String field) {
      return new Answer(
          409,
          null,
          "{\"errors\":[{\"index\":0,\"field\":\""
              + field
              + "\",\"message\":\"image_id is already taken by an image with another "
              + field
              + "\"}]}");
    }
  }

  /** One {@code GET /conflicts} as the stub saw it: its {@code after} (null: none) and token. */
  public record ConflictsRequest(String after, String authorization) {}

  /** One request as the stub saw it. */
  public record Received(
      long atNanos, String authorization, String body, List<StatEvent> events, int answered) {}

  private final HttpServer server;
  private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Answer otherwise = Answer.accepted();
  private volatile long delayMillis;
  private volatile Map<String, String> conflictPages;
  private final List<ConflictsRequest> conflictsRequests = new CopyOnWriteArrayList<>();

  private IngestStub(HttpServer server) {
    this.server = server;
  }

  /** On a free port. */
  public static IngestStub start() {
    return startOn(0);
  }

  public static IngestStub startOn(int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      IngestStub stub = new IngestStub(server);
      server.createContext("/stats", stub::handle);
      server.createContext("/conflicts", stub::handleConflicts);
      server.start();
      return stub;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the ingest stub on port " + port, e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next requests get these answers, in order; then {@link #otherwise(Answer)}. */
  public void script(Answer... answers) {
    script.addAll(List.of(answers));
  }

  /** The answer once the script is used up (202 unless changed). */
  public void otherwise(Answer answer) {
    this.otherwise = answer;
  }

  /** Answers each request only after this long: a slow ingest, or one to kill RED against. */
  public void delay(java.time.Duration delay) {
    this.delayMillis = delay.toMillis();
  }

  /**
   * Serves {@code GET /conflicts}: the body for each {@code after} value (the key "" for a request
   * without one); any other cursor gets an empty page that keeps it. Null (the default) answers
   * 404, as an ingest without conflict records does.
   */
  public void conflictPages(Map<String, String> pagesByAfter) {
    this.conflictPages = pagesByAfter == null ? null : Map.copyOf(pagesByAfter);
  }

  public List<ConflictsRequest> conflictsRequests() {
    return List.copyOf(conflictsRequests);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Every event of every request answered 2xx, in arrival order. */
  public List<StatEvent> acceptedEvents() {
    List<StatEvent> events = new ArrayList<>();
    for (Received r : received) {
      if (r.answered() / 100 == 2) {
        events.addAll(r.events());
      }
    }
    return events;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Answer answer = script.poll();
      if (answer == null) {
        answer = otherwise;
      }
      received.add(
          new Received(
              System.nanoTime(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              body,
              parse(body),
              answer.status()));
      if (answer.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  private void handleConflicts(HttpExchange exchange) throws IOException {
    try (exchange) {
      String after = queryParameter(exchange.getRequestURI().getRawQuery(), "after");
      conflictsRequests.add(
          new ConflictsRequest(after, exchange.getRequestHeaders().getFirst("Authorization")));
      Map<String, String> pages = conflictPages;
      int status = 200;
      String body;
      if (pages == null) {
        status = 404;
        body = "{\"errors\":[{\"message\":\"not found\"}]}";
      } else {
        body = pages.get(after == null ? "" : after);
        if (body == null) {
          body =
              "{\"conflicts\":[],\"next\":" + (after == null ? "null" : "\"" + after + "\"") + "}";
        }
      }
      byte[] out = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
  }

  private static String queryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static List<StatEvent> parse(String body) {
    JsonNode root = JSON.readTree(body);
    List<StatEvent> events = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(node -> events.add(event(node)));
    } else {
      events.add(event(root));
    }
    return events;
  }

  private static StatEvent event(JsonNode node) {
    return new StatEvent(
        node.get("image_id").longValue(),
        node.get("client_id").longValue(),
        node.get("timestamp").longValue(),
        Red.toUnits(node.get("red").decimalValue()));
  }
}
