package io.redstats.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./redstats} script's handling of secrets, through its own functions (the script only
 * defines them when sourced): what it writes is owner-only, and a service it starts has its secrets
 * in its environment, never on its world-readable command line.
 */
class RedstatsScriptIT {

  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path home;

  @Test
  void filesHoldingTheSecretOrTokensAreOwnerOnly() throws Exception {
    // Given a secret and an env file that an older version left readable by everyone
    Files.writeString(home.resolve("jwt-secret"), "an-old-secret-of-more-than-32-bytes-long");
    Files.writeString(home.resolve("local.env"), "REDSTATS_ADMIN_TOKEN=old");
    Files.setPosixFilePermissions(
        home.resolve("jwt-secret"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(
        home.resolve("local.env"), PosixFilePermissions.fromString("rw-r--r--"));

    // When the script makes sure of its secret and writes the env file (tokens stubbed)
    bash(Map.of(), "mint() { echo a-token; }; ensure_secret; write_env");

    // Then both are rw for the owner only
    for (String file : List.of("jwt-secret", "local.env")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(file))))
          .as(file)
          .isEqualTo("rw-------");
    }
    assertThat(Files.readString(home.resolve("local.env")))
        .contains("REDSTATS_ADMIN_TOKEN=a-token");
  }

  @Test
  void serviceGetsItsSecretsInItsEnvironmentNotOnItsCommandLine() throws Exception {
    // Given a stand-in service jar and a new secret
    Path jar = FakeService.writeJar(home.resolve("fake-service.jar"));
    int port = FreePorts.next();

    // When the script starts RED, the service with the most secrets
    bash(
        Map.of("REDSTATS_PORT_RED", Integer.toString(port), "FAKE_JAR", jar.toString()),
        "service_jar() { printf %s \"$FAKE_JAR\"; }; ensure_secret; start_service red");
    long pid = Long.parseLong(Files.readString(home.resolve("run/red/pid")).trim());
    try {
      String secret = Files.readString(home.resolve("jwt-secret")).trim();
      String cmdline = awaitJava(pid);

      // Then its world-readable command line holds no secret, its environment holds them all
      assertThat(cmdline)
          .contains("--server.port=" + port)
          .doesNotContain(secret, "jwt-secret", "password", "token");
      // (RED signs its own short-lived producer tokens with the secret: no token is handed to it)
      assertThat(proc(pid, "environ"))
          .contains("REDSTATS_SECURITY_JWT_SECRET=" + secret)
          .contains("SPRING_DATASOURCE_PASSWORD=redstats")
          .doesNotContain("PRODUCER_TOKEN");
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** The command line once the script's subshell has exec'd java. */
  private static String awaitJava(long pid) throws Exception {
    long deadline = System.nanoTime() + EXEC_TIMEOUT.toNanos();
    while (true) {
      String cmdline = proc(pid, "cmdline");
      if (cmdline.contains("-jar") || System.nanoTime() > deadline) {
        return cmdline;
      }
      Thread.sleep(50);
    }
  }

  private static String proc(long pid, String file) throws Exception {
    return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), file)), UTF_8)
        .replace('\0', ' ');
  }

  private void bash(Map<String, String> env, String script) throws Exception {
    Path root = LocalScripts.fromSystemProperties().root();
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", "source ./redstats; " + script)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("script.log").toFile());
    builder.environment().put("REDSTATS_HOME", home.toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(EXEC_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(home.resolve("script.log"))).isZero();
  }
}
