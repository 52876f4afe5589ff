package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault verbs on a stand-in process ({@code sleep}): each one checks that it happened. */
class LocalServerTest {

  @TempDir Path dir;
  private Process standIn;

  @AfterEach
  void stopStandIn() {
    if (standIn != null) {
      standIn.destroyForcibly();
    }
  }

  @Test
  void killWithoutPidFileFailsInsteadOfPassing() {
    LocalServer server = server();

    assertThatThrownBy(server::kill9).hasMessageContaining("no pid file");
  }

  @Test
  void killOfProcessThatIsAlreadyGoneFailsInsteadOfPassing() throws Exception {
    // Given a pid file naming a process that has exited
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(dir.resolve("pid"), Long.toString(gone.pid()));

    // When / Then
    assertThatThrownBy(server()::kill9).hasMessageContaining("is not running");
  }

  @Test
  void pauseResumeAndKillEachHappen() throws Exception {
    // Given a running process in the pid file
    standIn = new ProcessBuilder("sleep", "120").start();
    Files.writeString(dir.resolve("pid"), Long.toString(standIn.pid()));
    LocalServer server = server();
    assertThat(server.pid()).hasValue(standIn.pid());

    // When paused, then stopped by the signal; when resumed, running again
    server.pause();
    assertThat(Processes.stopped(standIn.pid())).isTrue();
    server.resume();
    assertThat(Processes.stopped(standIn.pid())).isFalse();

    // When killed, then gone, and a second kill fails
    server.kill9();
    assertThat(server.running()).isFalse();
    assertThat(server.pid()).isEmpty();
    assertThatThrownBy(server::kill9).hasMessageContaining("is not running");
  }

  private LocalServer server() {
    return new LocalServer("kafka.sh", dir, List.of(1), LocalScripts.fromSystemProperties());
  }
}
