package io.redstats.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the deploy/local/*.sh scripts, the same ones ./redstats uses. */
final class LocalScripts {

  /** The scripts wait at most 60 s for a server to answer; this leaves room for their own stop. */
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

  private static final String PORT_TAKEN = "is already in use";

  private final Path root;
  private final Path home;

  private LocalScripts(Path root, Path home) {
    this.root = root;
    this.home = home;
  }

  /** Repository root and .redstats home from the system properties failsafe sets, else found. */
  static LocalScripts fromSystemProperties() {
    Path root =
        System.getProperty("redstats.root") != null
            ? Path.of(System.getProperty("redstats.root"))
            : findRoot();
    Path home =
        System.getProperty("redstats.home") != null
            ? Path.of(System.getProperty("redstats.home"))
            : root.resolve(".redstats");
    return new LocalScripts(root.toAbsolutePath().normalize(), home.toAbsolutePath().normalize());
  }

  private static Path findRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("deploy/local/lib.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "deploy/local/lib.sh not found above "
            + Path.of("").toAbsolutePath()
            + "; set the system property redstats.root to the repository root");
  }

  Path home() {
    return home;
  }

  /** The repository root. */
  Path root() {
    return root;
  }

  /** Runs SCRIPT ARGS...; returns its output, or throws with the output when it fails. */
  String run(String script, String... args) {
    Path scriptPath = root.resolve("deploy/local").resolve(script);
    List<String> command = new ArrayList<>(List.of("bash", scriptPath.toString()));
    command.addAll(List.of(args));
    Path output = null;
    try {
      // Output to a file, not a pipe: a server the script leaves running must not hold our pipe.
      output = Files.createTempFile("redstats-script", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().put("REDSTATS_HOME", home.toString());
      Process process = builder.start();
      if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new ScriptFailedException(
            String.join(" ", command) + " did not finish within " + SCRIPT_TIMEOUT, read(output));
      }
      String text = read(output);
      if (process.exitValue() != 0) {
        throw new ScriptFailedException(
            String.join(" ", command) + " exited with " + process.exitValue(), text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** A script that exited non-zero; its output is in the message. */
  static final class ScriptFailedException extends IllegalStateException {
    private final String output;

    ScriptFailedException(String what, String output) {
      super(what + ":\n" + output);
      this.output = output;
    }

    boolean portTaken() {
      return output.contains(PORT_TAKEN);
    }
  }
}
