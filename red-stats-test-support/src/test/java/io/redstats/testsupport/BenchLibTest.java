package io.redstats.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** bench/lib.sh's reading of wrk's output: only 2xx answers count as throughput. */
class BenchLibTest {

  private static final String WRK_WITH_ERRORS =
      """
      Running 10s test @ http://127.0.0.1:1/stats
        2 threads and 16 connections
        20000 requests in 10.00s, 1.20MB read
        Non-2xx or 3xx responses: 5000
      Requests/sec:   2000.00
      """;

  @Test
  void non2xxAnswersAreNotThroughput() throws Exception {
    assertThat(run("wrk_2xx_per_s 1", WRK_WITH_ERRORS)).isEqualTo("1500");
    assertThat(run("wrk_2xx_per_s 1000", WRK_WITH_ERRORS)).isEqualTo("1500000");
    assertThat(run("wrk_non_2xx", WRK_WITH_ERRORS)).isEqualTo("5000");
  }

  @Test
  void durationInMinutesAndNoErrorsLine() throws Exception {
    String wrk = "  600 requests in 1.00m, 1.00MB read\nRequests/sec:     10.00\n";

    assertThat(run("wrk_2xx_per_s 1", wrk)).isEqualTo("10");
    assertThat(run("wrk_non_2xx", wrk)).isEqualTo("0");
  }

  private static String run(String function, String input) throws Exception {
    String root = LocalScripts.fromSystemProperties().root().toString();
    Process bash =
        new ProcessBuilder(
                "bash", "-c", "ROOT='" + root + "'; source \"$ROOT/bench/lib.sh\"; " + function)
            .redirectErrorStream(true)
            .start();
    bash.getOutputStream().write(input.getBytes(UTF_8));
    bash.getOutputStream().close();
    String output = new String(bash.getInputStream().readAllBytes(), UTF_8).trim();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(output).isZero();
    return output;
  }
}
