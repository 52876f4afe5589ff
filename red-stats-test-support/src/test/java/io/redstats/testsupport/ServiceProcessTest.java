package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceProcessTest {

  @Test
  void secretPasswordAndTokenKeysStayOffTheCommandLine() {
    assertThat(ServiceProcess.isSecret("redstats.security.jwt-secret")).isTrue();
    assertThat(ServiceProcess.isSecret("spring.datasource.password")).isTrue();
    assertThat(ServiceProcess.isSecret("redstats.red.producer-token")).isTrue();
    assertThat(ServiceProcess.isSecret("server.port")).isFalse();
    assertThat(ServiceProcess.isSecret("redstats.notifier.tokens-per-second")).isFalse();
  }

  @Test
  void secretsAreWrittenAsJsonThatKeepsQuotesAndBackslashes() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("a.secret", "x\"y\\z\n");
    values.put("b.password", "p");

    assertThat(ServiceProcess.json(values))
        .isEqualTo("{\"a.secret\":\"x\\\"y\\\\z\\u000a\",\"b.password\":\"p\"}");
  }
}
