package io.redstats.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * This JVM's directory for local servers: {@code ${redstats.home}/test-runs/<time>-<pid>/}, one
 * sub-directory per server. Runs whose JVM died without its shutdown hook (kill -9, a killed build)
 * are reaped by the next run: their servers stopped, their directories deleted.
 */
final class TestRun {

  private static final String OWNER_FILE = "owner.pid";
  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path dir;

  private TestRun(Path dir) {
    this.dir = dir;
  }

  static TestRun create(LocalScripts scripts) {
    Path runs = scripts.home().resolve("test-runs");
    reapAbandoned(runs, scripts);
    long pid = ProcessHandle.current().pid();
    Path dir = runs.resolve(LocalDateTime.now().format(NAME_TIME) + "-" + pid);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(OWNER_FILE), Long.toString(pid));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return new TestRun(dir);
  }

  Path dir() {
    return dir;
  }

  Path serverDir(String name) {
    return dir.resolve(name);
  }

  void delete() {
    deleteRecursively(dir);
  }

  private static void reapAbandoned(Path runs, LocalScripts scripts) {
    if (!Files.isDirectory(runs)) {
      return;
    }
    try (Stream<Path> entries = Files.list(runs)) {
      entries.filter(TestRun::abandoned).forEach(run -> reap(run, scripts));
    } catch (IOException e) {
      System.err.println("[RealServers] could not look for abandoned test runs: " + e);
    }
  }

  private static boolean abandoned(Path run) {
    OptionalOwner owner = OptionalOwner.of(run.resolve(OWNER_FILE));
    return owner.known() && !Processes.alive(owner.pid());
  }

  private static void reap(Path run, LocalScripts scripts) {
    System.err.println("[RealServers] stopping the servers of an abandoned test run in " + run);
    try (Stream<Path> servers = Files.list(run)) {
      for (Path server : servers.filter(Files::isDirectory).toList()) {
        String script = scriptFor(server.getFileName().toString());
        if (script != null) {
          try {
            scripts.run(script, "stop", server.toString());
          } catch (RuntimeException e) {
            System.err.println("[RealServers] " + e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      System.err.println("[RealServers] could not reap " + run + ": " + e);
    }
    deleteRecursively(run);
  }

  private static String scriptFor(String serverDirName) {
    for (String name : List.of("kafka", "clickhouse", "postgres", "nginx")) {
      if (serverDirName.startsWith(name)) {
        return name + ".sh";
      }
    }
    return null;
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  // a socket or file a dying server still writes; the next run reaps it
                }
              });
    } catch (IOException e) {
      System.err.println("[RealServers] could not delete " + root + ": " + e);
    }
  }

  private record OptionalOwner(boolean known, long pid) {
    static OptionalOwner of(Path file) {
      try {
        return new OptionalOwner(true, Long.parseLong(Files.readString(file).trim()));
      } catch (IOException | NumberFormatException e) {
        return new OptionalOwner(false, 0);
      }
    }
  }
}
