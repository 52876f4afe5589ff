package io.redstats.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** A server started by a deploy/local script in its own directory, on fixed ports. */
final class LocalServer implements ServerControl {

  /** SIGKILL is immediate, but a killed PostgreSQL's backends take a moment to notice. */
  private static final Duration DEATH_TIMEOUT = Duration.ofSeconds(10);

  private final String script;
  private final Path dir;
  private final List<String> ports;
  private final LocalScripts scripts;

  LocalServer(String script, Path dir, List<Integer> ports, LocalScripts scripts) {
    this.script = script;
    this.dir = dir;
    this.ports = ports.stream().map(String::valueOf).toList();
    this.scripts = scripts;
  }

  Path dir() {
    return dir;
  }

  @Override
  public synchronized void start() {
    long started = System.nanoTime();
    List<String> args = new ArrayList<>(List.of("start", dir.toString()));
    args.addAll(ports);
    scripts.run(script, args.toArray(String[]::new));
    // The script said it answers; a proof that restarts a server also wants its process.
    long pid = requireRunning("start");
    RealServers.log(
        script
            + " start "
            + dir.getFileName()
            + ": pid "
            + pid
            + ", "
            + (System.nanoTime() - started) / 1_000_000
            + " ms");
  }

  @Override
  public synchronized void stop() {
    scripts.run(script, "stop", dir.toString());
    if (running()) {
      throw new IllegalStateException(this + ": still running after stop");
    }
  }

  /**
   * Throws when there is nothing to kill (no pid file, or its process is not running): a fault test
   * whose fault did not happen proves nothing.
   */
  @Override
  public synchronized void kill9() {
    long pid = requireRunning("kill -9");
    // Children too (PostgreSQL backends): a crashed machine leaves nothing behind either.
    List<Long> family = new ArrayList<>();
    family.add(pid);
    ProcessHandle.of(pid)
        .ifPresent(handle -> handle.descendants().forEach(child -> family.add(child.pid())));
    family.forEach(member -> Processes.signal(member, "KILL"));
    for (long member : family) {
      if (!Processes.awaitDeath(member, DEATH_TIMEOUT)) {
        throw new IllegalStateException("pid " + member + " survived SIGKILL");
      }
    }
    RealServers.log(script + " " + dir.getFileName() + ": killed -9 (pid " + pid + ")");
  }

  /** Throws unless the process is stopped afterwards (state T in /proc). */
  @Override
  public synchronized void pause() {
    long pid = requireRunning("SIGSTOP");
    Processes.signal(pid, "STOP");
    if (!Processes.awaitStopped(pid, true, DEATH_TIMEOUT)) {
      throw new IllegalStateException(this + ": pid " + pid + " is not stopped after SIGSTOP");
    }
  }

  /** Throws unless the process runs again afterwards. */
  @Override
  public synchronized void resume() {
    long pid = requireRunning("SIGCONT");
    Processes.signal(pid, "CONT");
    if (!Processes.awaitStopped(pid, false, DEATH_TIMEOUT)) {
      throw new IllegalStateException(this + ": pid " + pid + " is still stopped after SIGCONT");
    }
  }

  @Override
  public boolean running() {
    OptionalLong pid = Processes.readPid(dir);
    return pid.isPresent() && Processes.alive(pid.getAsLong());
  }

  @Override
  public OptionalLong pid() {
    OptionalLong pid = Processes.readPid(dir);
    return pid.isPresent() && Processes.alive(pid.getAsLong()) ? pid : OptionalLong.empty();
  }

  /** The pid of the running server, or an exception naming WHAT could not be done. */
  private long requireRunning(String what) {
    OptionalLong pid = Processes.readPid(dir);
    if (pid.isEmpty()) {
      throw new IllegalStateException(
          what + ": " + this + " has no pid file (or an unreadable one)");
    }
    if (!Processes.alive(pid.getAsLong())) {
      throw new IllegalStateException(
          what + ": " + this + ": pid " + pid.getAsLong() + " is not running");
    }
    return pid.getAsLong();
  }

  @Override
  public String toString() {
    return script + " " + dir + " " + ports;
  }
}
