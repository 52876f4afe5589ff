package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessIT {

  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path jars;
  private static Path jar;

  @BeforeAll
  static void buildJar() throws Exception {
    jar = jars.resolve("fake-service.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
    String entry = FakeService.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry(entry));
      try (var in = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
        in.transferTo(out);
      }
      out.closeEntry();
    }
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
    try (ServiceProcess second = first.restart()) {

      // Then a new process answers on the same port, and its output is in its log
      assertThat(second.running()).isTrue();
      assertThat(second.pid()).isNotEqualTo(firstPid);
      assertThat(second.tail()).contains("fake service listening on " + port);
    }
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
}
