package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServersExtension.class)
class NginxIT {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private HttpServer upstream;
  private int upstreamPort;

  @BeforeEach
  void startUpstream() throws Exception {
    upstreamPort = FreePorts.next();
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", upstreamPort), 0);
    upstream.createContext(
        "/",
        exchange -> {
          byte[] body =
              ("upstream saw " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    upstream.start();
  }

  @AfterEach
  void stopUpstream() {
    upstream.stop(0);
  }

  // Repeated: a second balancer after closing the first proves close() leaves nothing behind.
  @RepeatedTest(2)
  void proxiesHttpToTheUpstreamAndLeavesNoProcessWhenClosed(RealServers servers) throws Exception {
    // Given a balancer in front of one live and one dead node
    int deadPort = FreePorts.next();
    long masterPid;
    List<Long> workers;
    try (Nginx nginx = servers.nginx(List.of(deadPort, upstreamPort))) {
      masterPid = Processes.readPid(nginx.dir()).orElseThrow();
      workers =
          ProcessHandle.of(masterPid).orElseThrow().children().map(ProcessHandle::pid).toList();
      assertThat(nginx.wsUrl("/alerts")).isEqualTo("ws://127.0.0.1:" + nginx.port() + "/alerts");

      // When
      for (int request = 0; request < 3; request++) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(nginx.httpUrl() + "/stats?n=" + request)).build(),
                HttpResponse.BodyHandlers.ofString());

        // Then every request reaches the live node
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("upstream saw /stats?n=" + request);
      }
    }

    // And nothing of nginx is left
    assertThat(Processes.alive(masterPid)).isFalse();
    assertThat(workers).isNotEmpty().noneMatch(Processes::alive);
  }
}
