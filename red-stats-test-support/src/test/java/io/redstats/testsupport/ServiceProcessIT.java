package io.redstats.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessIT {

  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path jars;
  private static Path jar;

  @BeforeAll
  static void buildJar() throws Exception {
    jar = FakeService.writeJar(jars.resolve("fake-service.jar"));
  }

  @Test
  void serviceKilledWithSigkillRestartsOnTheSamePort() {
    // Given a service that answered UP
    int port = FreePorts.next();
    ServiceProcess first =
        ServiceProcess.start(
            "fake", jar, Map.of("server.port", Integer.toString(port)), HEALTH_TIMEOUT);
    long firstPid = first.pid();

    // When it is killed and restarted
    first.kill9();
    assertThat(first.running()).isFalse();
    assertThatThrownBy(first::kill9).hasMessageContaining("nothing to kill");
    try (ServiceProcess second = first.restart()) {

      // Then a new process answers on the same port, and its output is in its log
      assertThat(second.running()).isTrue();
      assertThat(second.pid()).isNotEqualTo(firstPid);
      assertThat(second.tail()).contains("fake service listening on " + port);
    }
  }

  @Test
  void secretsReachTheServiceThroughItsEnvironmentNeverItsCommandLine() throws Exception {
    // Given properties holding a secret, a password and a token
    String secret = "jwt-" + UUID.randomUUID();
    String password = "pw-" + UUID.randomUUID();
    String token = "tok-" + UUID.randomUUID();
    Map<String, String> properties =
        Map.of(
            "server.port", Integer.toString(FreePorts.next()),
            "redstats.security.jwt-secret", secret,
            "spring.datasource.password", password,
            "redstats.red.producer-token", token,
            "redstats.visibility", "own");

    // When the harness starts the service
    try (ServiceProcess service = ServiceProcess.start("fake", jar, properties, HEALTH_TIMEOUT)) {

      // Then its world-readable command line holds none of them, only the plain setting
      String cmdline = procFile(service.pid(), "cmdline");
      assertThat(cmdline).doesNotContain(secret, password, token);
      assertThat(cmdline).contains("--redstats.visibility=own");
      // and they reach it in Spring Boot's JSON variable, readable by its owner only
      assertThat(procFile(service.pid(), "environ"))
          .contains(ServiceProcess.SECRETS_VARIABLE + "=")
          .contains("\"redstats.security.jwt-secret\":\"" + secret + "\"")
          .contains("\"spring.datasource.password\":\"" + password + "\"")
          .contains("\"redstats.red.producer-token\":\"" + token + "\"");
    }
  }

  private static String procFile(long pid, String name) throws Exception {
    return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), name)), UTF_8)
        .replace('\0', ' ');
  }

  @Test
  void stoppedServiceLeavesNoProcess() {
    ServiceProcess service =
        ServiceProcess.start(
            "fake", jar, Map.of("server.port", Integer.toString(FreePorts.next())), HEALTH_TIMEOUT);

    service.stop();

    assertThat(service.running()).isFalse();
    assertThat(Processes.alive(service.pid())).isFalse();
  }

  @Test
  void serviceThatExitsDuringStartUpFailsWithItsLog() {
    assertThatThrownBy(
            () ->
                ServiceProcess.start(
                    "failing",
                    jar,
                    Map.of("server.port", Integer.toString(FreePorts.next()), "fail", "true"),
                    HEALTH_TIMEOUT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with 3")
        .hasMessageContaining("fake service refuses to start");
  }

  @Test
  void servicesLaunchedTogetherAreAwaitedTogether() {
    // Given two services launched without waiting
    int firstPort = FreePorts.next();
    int secondPort = FreePorts.next();
    ServiceProcess first =
        ServiceProcess.launch(
            "fake-1", jar, Map.of("server.port", Integer.toString(firstPort)), HEALTH_TIMEOUT);
    ServiceProcess second =
        ServiceProcess.launch(
            "fake-2", jar, Map.of("server.port", Integer.toString(secondPort)), HEALTH_TIMEOUT);
    try (first;
        second) {

      // When both are awaited at once
      ServiceProcess.awaitHealthy(List.of(first, second));

      // Then both answer, each on its own port
      assertThat(first.running()).isTrue();
      assertThat(second.running()).isTrue();
      assertThat(first.tail()).contains("fake service listening on " + firstPort);
      assertThat(second.tail()).contains("fake service listening on " + secondPort);
    }
  }

  @Test
  void serviceThatExitsAmongSeveralIsNamedWithItsLog() {
    // Given a healthy service and one that exits, launched together
    ServiceProcess healthy =
        ServiceProcess.launch(
            "fake", jar, Map.of("server.port", Integer.toString(FreePorts.next())), HEALTH_TIMEOUT);
    ServiceProcess failing =
        ServiceProcess.launch(
            "failing",
            jar,
            Map.of("server.port", Integer.toString(FreePorts.next()), "fail", "true"),
            HEALTH_TIMEOUT);
    try (healthy) {

      // When both are awaited, then the wait fails naming the one that exited, with its log
      assertThatThrownBy(() -> ServiceProcess.awaitHealthy(List.of(healthy, failing)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("failing exited with 3")
          .hasMessageContaining("fake service refuses to start");
    }
  }
}
