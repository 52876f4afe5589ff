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
    RealServers.log(
        script
            + " start "
            + dir.getFileName()
            + ": "
            + (System.nanoTime() - started) / 1_000_000
            + " ms");
  }

  @Override
  public synchronized void stop() {
    scripts.run(script, "stop", dir.toString());
  }

  @Override
  public synchronized void kill9() {
    OptionalLong pid = Processes.readPid(dir);
    if (pid.isEmpty() || !Processes.alive(pid.getAsLong())) {
      return;
    }
    // Children too (PostgreSQL backends): a crashed machine leaves nothing behind either.
    List<Long> family = new ArrayList<>();
    family.add(pid.getAsLong());
    ProcessHandle.of(pid.getAsLong())
        .ifPresent(handle -> handle.descendants().forEach(child -> family.add(child.pid())));
    family.forEach(member -> Processes.signal(member, "KILL"));
    for (long member : family) {
      if (!Processes.awaitDeath(member, DEATH_TIMEOUT)) {
        throw new IllegalStateException("pid " + member + " survived SIGKILL");
      }
    }
    RealServers.log(script + " " + dir.getFileName() + ": killed -9 (pid " + pid.getAsLong() + ")");
  }

  @Override
  public synchronized void pause() {
    Processes.readPid(dir).ifPresent(pid -> Processes.signal(pid, "STOP"));
  }

  @Override
  public synchronized void resume() {
    Processes.readPid(dir).ifPresent(pid -> Processes.signal(pid, "CONT"));
  }

  @Override
  public boolean running() {
    OptionalLong pid = Processes.readPid(dir);
    return pid.isPresent() && Processes.alive(pid.getAsLong());
  }

  @Override
  public String toString() {
    return script + " " + dir + " " + ports;
  }
}
