package io.redstats.testsupport;

/**
 * Crash, stop, restart and freeze a server this JVM started itself (local mode), for tests of what
 * survives a failure. {@link #start()} brings it back on the same ports and data directory.
 */
public interface ServerControl {

  /** SIGKILL: no shutdown hook, no flush — what a crash looks like. Returns when it is gone. */
  void kill9();

  /** A clean shutdown (the server's own stop signal). Returns when it is gone. */
  void stop();

  /** Starts it again on the same ports and data; returns when it answers. No-op if running. */
  void start();

  /** SIGSTOP: the process stays, but answers nothing (a hung server, a long GC pause). */
  void pause();

  /** SIGCONT after {@link #pause()}. */
  void resume();

  boolean running();
}
