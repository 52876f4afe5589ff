package io.redstats.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** OS processes by pid: liveness (zombies count as dead), signals, waiting for death. */
final class Processes {

  private static final Duration POLL = Duration.ofMillis(100);

  private Processes() {}

  /**
   * Alive and not a zombie: a killed server whose parent has not reaped it yet is gone. But a
   * multi-threaded process (a JVM) shows its main thread as a zombie while the other threads are
   * still exiting and still hold its sockets; it is gone only when the main thread is the last.
   */
  static boolean alive(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    if (!Files.exists(proc)) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      String content = Files.readString(proc.resolve("stat"));
      // Format: "pid (comm) S ..." — comm may hold spaces, so read after the last ')'.
      String afterName = content.substring(content.lastIndexOf(')') + 1).trim();
      boolean exited = afterName.startsWith("Z") || afterName.startsWith("X");
      return !exited || threads(proc) > 1;
    } catch (IOException e) {
      // Reading a dying process's /proc entries can fail while its threads exit; it is gone only
      // once its /proc directory is (deploy/local/lib.sh must not still see it alive).
      return Files.exists(proc);
    }
  }

  private static long threads(Path proc) throws IOException {
    try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
      return tasks.count();
    }
  }

  /** Sends SIGNAL (a name like KILL, STOP, CONT) with kill(1): Java has no API for most signals. */
  static void signal(long pid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException("kill -" + signal + " " + pid + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + pid, e);
    }
  }

  static boolean awaitDeath(long pid, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (alive(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      sleep(POLL);
    }
    return true;
  }

  /**
   * Waits until PID is stopped by a signal (state T), or no longer stopped when STOPPED is false;
   * false on timeout or when the process is gone.
   */
  static boolean awaitStopped(long pid, boolean stopped, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (alive(pid)) {
      if (stopped(pid) == stopped) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      sleep(POLL);
    }
    return false;
  }

  /** State T (stopped by a signal) in /proc/PID/stat. */
  static boolean stopped(long pid) {
    try {
      String content = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return content.substring(content.lastIndexOf(')') + 1).trim().startsWith("T");
    } catch (IOException e) {
      return false;
    }
  }

  /** The pid in DIR/pid, when there is one. */
  static OptionalLong readPid(Path dir) {
    Path file = dir.resolve("pid");
    try {
      String text = Files.readString(file).trim();
      return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
