package io.redstats.notifier.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redstats.contract.auth.JwtSupport;
import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.kit.ServiceKitProperties.Visibility;
import io.redstats.kit.security.VisibilityRule;
import io.redstats.notifier.feed.FeedProperties;
import io.redstats.notifier.feed.LiveFeed;
import io.redstats.notifier.security.SubscriberAuthenticator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The handshake's refusals, on the raw query as a client sends it; no server. */
class SubscribeHandshakeTest {

  private static final String SECRET = "handshake-test-secret-of-at-least-32-bytes";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final String token =
      new TokenMinter(SECRET).mint("client-7", 7L, List.of(Scopes.SUBSCRIBE), Duration.ofHours(1));

  /** Never started, so a handshake that passes every check is refused with 503, not accepted. */
  private final SubscribeHandshake handshake =
      new SubscribeHandshake(
          new SubscriberAuthenticator(
              JwtSupport.decoder(SECRET), new VisibilityRule(Visibility.OWN)),
          new LiveFeed(
              new FeedProperties(
                  "127.0.0.1:9",
                  Duration.ofMillis(200),
                  Duration.ofSeconds(30),
                  1,
                  Duration.ZERO,
                  Duration.ofMillis(5)),
              record -> {},
              new SimpleMeterRegistry()));

  @Test
  void minRedThatIsNotUtf8IsA400NamingMinRed() throws Exception {
    MockHttpServletResponse response = handshake("min_red=0.5%C3%28");

    assertRefused(response, "min_red");
  }

  @Test
  void resumeThatIsNotUtf8IsA400NamingResume() throws Exception {
    MockHttpServletResponse response = handshake("min_red=0.5&resume=%FF%FE");

    assertRefused(response, "resume");
  }

  @Test
  void minRedWithAnythingButAsciiDigitsIsA400() throws Exception {
    for (String value : new String[] {"0.5%00", "0.5%D9%A0", "0.5%EF%BC%90", "%200.5", "1e-1"}) {
      MockHttpServletResponse response = handshake("min_red=" + value + "");

      assertRefused(response, "min_red");
    }
  }

  @Test
  void clientIdInAnotherScriptIsA400() throws Exception {
    // U+0667 is ARABIC-INDIC DIGIT SEVEN, which Long.parseLong reads as 7.
    MockHttpServletResponse response = handshake("min_red=0.5&client_id=%D9%A7");

    assertRefused(response, "client_id");
  }

  @Test
  void clientIdIsAbsentWhenEmptyAndOtherwiseAPositive64BitInteger() {
    assertThat(SubscribeHandshake.clientIdParameter(null)).isNull();
    assertThat(SubscribeHandshake.clientIdParameter("")).isNull();
    assertThat(SubscribeHandshake.clientIdParameter("7")).isEqualTo(7L);
    for (String bad : new String[] {"0", "-7", "+7", "9223372036854775808", "7 "}) {
      assertThatThrownBy(() -> SubscribeHandshake.clientIdParameter(bad))
          .as(bad)
          .isInstanceOf(ProtocolException.class)
          .hasMessage("must be a positive 64-bit integer")
          .extracting(e -> ((ProtocolException) e).field())
          .isEqualTo("client_id");
    }
  }

  @Test
  void tokenInTheUrlIsA400NamingAccessTokenEvenWhenTheHeaderHasOne() throws Exception {
    MockHttpServletResponse withHeader = handshake("min_red=0.5&access_token=" + token);
    MockHttpServletResponse alone = handshake("min_red=0.5&access_token=" + token, null);

    assertRefused(withHeader, "access_token");
    assertRefused(alone, "access_token");
  }

  @Test
  void badTokenInTheAuthorizationHeaderIsA401() throws Exception {
    MockHttpServletResponse response = handshake("min_red=0.5", "Bearer not-a-jwt");

    assertThat(response.getStatus()).isEqualTo(401);
  }

  @Test
  void handshakeWithoutAuthorizationIsNotRefusedForItAndStillChecksTheQuery() throws Exception {
    MockHttpServletResponse bad = handshake("min_red=1.5", null);
    MockHttpServletResponse good = handshake("min_red=0.5&client_id=7", null);

    assertRefused(bad, "min_red");
    // The token comes as the first message: the one refusal left here is the feed not reading.
    assertThat(good.getStatus()).isEqualTo(503);
  }

  @Test
  void connectionIsAbsentWhenEmptyAndOtherwiseACanonicalUuid() {
    assertThat(SubscribeHandshake.connectionParameter(null)).isNull();
    assertThat(SubscribeHandshake.connectionParameter("")).isNull();
    assertThat(SubscribeHandshake.connectionParameter("0f8fad5b-d9cb-469f-a165-70867728950e"))
        .hasToString("0f8fad5b-d9cb-469f-a165-70867728950e");
    for (String bad :
        new String[] {"1-1-1-1-1", "0F8FAD5B-D9CB-469F-A165-70867728950E", "garbage", "0f8fad5b"}) {
      assertThatThrownBy(() -> SubscribeHandshake.connectionParameter(bad))
          .as(bad)
          .isInstanceOf(ProtocolException.class)
          .extracting(e -> ((ProtocolException) e).field())
          .isEqualTo("connection");
    }
  }

  @Test
  void validQueryPassesEveryCheckOfTheQuery() throws Exception {
    MockHttpServletResponse response = handshake("min_red=0.5&client_id=7");

    // The feed is not reading: the one refusal left once the query and the token are good.
    assertThat(response.getStatus()).isEqualTo(503);
  }

  private MockHttpServletResponse handshake(String rawQuery) throws Exception {
    return handshake(rawQuery, "Bearer " + token);
  }

  private MockHttpServletResponse handshake(String rawQuery, String authorization)
      throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", SocketConfig.PATH);
    request.setQueryString(rawQuery);
    if (authorization != null) {
      request.addHeader("Authorization", authorization);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    Map<String, Object> attributes = new HashMap<>();
    ServletServerHttpResponse serverResponse = new ServletServerHttpResponse(response);

    boolean accepted =
        handshake.beforeHandshake(
            new ServletServerHttpRequest(request), serverResponse, null, attributes);
    serverResponse.flush();

    assertThat(accepted).isFalse();
    return response;
  }

  private static void assertRefused(MockHttpServletResponse response, String field)
      throws Exception {
    assertThat(response.getStatus()).isEqualTo(400);
    JsonNode error = MAPPER.readTree(response.getContentAsString()).get("errors").get(0);
    assertThat(error.get("field").stringValue()).isEqualTo(field);
    assertThat(error.get("message").stringValue()).isNotBlank();
  }
}
