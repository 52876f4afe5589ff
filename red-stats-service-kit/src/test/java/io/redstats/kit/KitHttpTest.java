package io.redstats.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.kit.testapp.KitTestApp;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The kit in a running service: a real Tomcat on a free port, a request at a time. */
@SpringBootTest(
    classes = KitTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"redstats.security.jwt-secret=" + KitHttpTest.SECRET, "redstats.visibility=own"})
class KitHttpTest {

  static final String SECRET = "service-kit-test-secret-of-32-bytes-long";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  private static String token(Long clientId, String... scopes) {
    return new TokenMinter(SECRET).mint("test", clientId, List.of(scopes), Duration.ofMinutes(5));
  }

  /** A token signed with the deployment's secret whose payload is exactly {@code json}. */
  private static String signed(String json) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), JWTClaimsSet.parse(json));
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder get(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  /** The message of a JSON error body, asserting the body has the project's shape. */
  private static String message(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode errors = JSON.readTree(response.body()).get("errors");
    assertThat(errors.isArray()).as(response.body()).isTrue();
    return errors.get(0).get("message").stringValue();
  }

  /** Sends raw bytes (what an HTTP client library would refuse to send) and reads the answer. */
  private String raw(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aRequestWithoutTokenIs401WithTheJsonBody() throws Exception {
    HttpResponse<String> response = send(get("/counts", null));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    assertThat(message(response)).isEqualTo("a bearer token is required");
  }

  @Test
  void aTokenWithoutExpIs401NamingTheReason() throws Exception {
    String noExp =
        signed("{\"iss\":\"redstats\",\"sub\":\"t\",\"scope\":\"query\",\"client_id\":7}");

    HttpResponse<String> response = send(get("/counts", noExp));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"invalid_token\""));
    assertThat(message(response))
        .isEqualTo(
            "a valid bearer token is required: the token has no expiry (exp claim); every token"
                + " must expire");
  }

  @ParameterizedTest
  @ValueSource(strings = {"506.9", "-5", "0", "18446744073709552122", "\"abc\""})
  void aTokenWithABadClientIdIs401NamingTheClaim(String clientId) throws Exception {
    long exp = Instant.now().plusSeconds(300).getEpochSecond();
    String token =
        signed(
            "{\"iss\":\"redstats\",\"sub\":\"t\",\"scope\":\"query\",\"exp\":"
                + exp
                + ",\"client_id\":"
                + clientId
                + "}");

    HttpResponse<String> response = send(get("/counts", token));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(message(response))
        .startsWith("a valid bearer token is required: ")
        .contains("client_id");
  }

  @Test
  void aForgedTokenIs401InPlainWords() throws Exception {
    String forged =
        new TokenMinter("another-secret-that-is-also-32-bytes-long")
            .mint("t", 7L, List.of("query"), Duration.ofMinutes(5));

    HttpResponse<String> response = send(get("/counts", forged));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(message(response))
        .isEqualTo(
            "a valid bearer token is required: the token's signature does not verify with this"
                + " deployment's key (HS256)");
  }

  @Test
  void aTokenWithoutTheScopeIs403InTheServicesWords() throws Exception {
    HttpResponse<String> response = send(get("/counts", token(7L, "subscribe")));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"insufficient_scope\""));
    assertThat(message(response)).isEqualTo(KitTestApp.MISSING_SCOPE);
  }

  @Test
  void aClientTokenSeesItsOwnClientOnly() throws Exception {
    assertThat(send(get("/counts", token(7L, "query"))).body()).isEqualTo("{\"client_id\":7}");

    HttpResponse<String> other = send(get("/counts?client_id=8", token(7L, "query")));
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(message(other)).isEqualTo("a client token sees only its own client_id 7");
  }

  @Test
  void getErrorDirectlyIs404Json() throws Exception {
    for (String token : new String[] {null, token(7L, "query")}) {
      HttpResponse<String> response = send(get("/error", token));

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(message(response)).isEqualTo("not found");
    }
  }

  @Test
  void anUnknownPathIs404Json() throws Exception {
    HttpResponse<String> response = send(get("/nothing-here", token(7L, "query")));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(message(response)).isEqualTo("not found");
  }

  @Test
  void aWrongMethodIs405JsonNamingTheAllowedOnes() throws Exception {
    HttpResponse<String> response =
        send(
            get("/counts", token(7L, "query"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow"))
        .hasValueSatisfying(allow -> assertThat(allow).contains("GET"));
    assertThat(message(response)).isEqualTo("DELETE is not supported here");
  }

  @Test
  void anAcceptWithoutJsonIs406Json() throws Exception {
    HttpResponse<String> response =
        send(get("/counts", token(7L, "query")).header("Accept", "image/png"));

    assertThat(response.statusCode()).isEqualTo(406);
    assertThat(message(response)).startsWith("Accept must allow application/json");
  }

  @Test
  void anUnsupportedContentTypeIs415Json() throws Exception {
    HttpResponse<String> response =
        send(
            get("/echo", token(7L, "query"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(message(response)).isEqualTo("Content-Type text/plain is not accepted here");
  }

  @Test
  void anUnreadableBodyIs400WithoutLibraryWords() throws Exception {
    HttpResponse<String> response =
        send(
            get("/echo", token(7L, "query"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(message(response))
        .isEqualTo("the request body is not readable JSON of the expected shape");
  }

  @Test
  void aBugIs500InTheJsonBody() throws Exception {
    HttpResponse<String> response = send(get("/boom", token(7L, "query")));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(message(response)).doesNotContain("IllegalStateException", "a bug");
  }

  @Test
  void anOversizedHeaderIs4xxJsonNotTomcatsPage() throws Exception {
    String huge = "Bearer " + "a".repeat(10 * 1024);

    String answer =
        raw(
            "GET /counts HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + huge
                + "\r\nConnection: close\r\n\r\n");

    assertThat(answer).matches("(?s)HTTP/1.1 4\\d\\d .*");
    assertThat(answer)
        .contains("Content-Type: application/json")
        .contains("{\"errors\":[{\"message\":");
    assertThat(answer).doesNotContain("<html");
  }

  @Test
  void aRequestTheFirewallRejectsIs400Json() throws Exception {
    String answer = raw("GET /counts;a=b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400 ");
    assertThat(answer).contains("{\"errors\":[{\"message\":");
  }

  @Test
  void healthShowsOnlyItsStatusToAnonymousCallers() throws Exception {
    HttpResponse<String> anonymous = send(get("/actuator/health", null));
    HttpResponse<String> admin = send(get("/actuator/health", token(null, "admin")));

    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(anonymous.body()).propertyNames()).containsOnly("status", "groups");
    assertThat(JSON.readTree(admin.body()).has("components")).as(admin.body()).isTrue();
  }

  @Test
  void theApiDocsArePublicAndDeclareTheBearerScheme() throws Exception {
    HttpResponse<String> docs = send(get("/v3/api-docs", null));
    HttpResponse<String> ui = send(get("/swagger-ui/index.html", null));

    assertThat(docs.statusCode()).isEqualTo(200);
    JsonNode spec = JSON.readTree(docs.body());
    assertThat(spec.at("/components/securitySchemes/bearer/scheme").stringValue())
        .isEqualTo("bearer");
    assertThat(spec.at("/security/0").has("bearer")).isTrue();
    assertThat(ui.statusCode()).isEqualTo(200);
  }
}
