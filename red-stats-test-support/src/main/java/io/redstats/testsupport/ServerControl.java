package io.redstats.testsupport;

import java.util.OptionalLong;

/**
 * Crash, stop, restart and freeze a server this JVM started itself (local mode), for tests of what
 * survives a failure. {@link #start()} brings it back on the same ports and data directory. Every
 * verb checks that it happened and throws otherwise: a fault that did not happen must fail the test
 * that meant to cause it, not pass it.
 */
public interface ServerControl {

  /**
   * SIGKILL: no shutdown hook, no flush — what a crash looks like. Returns when it is gone; throws
   * when it was not running.
   */
  void kill9();

  /** A clean shutdown (the server's own stop signal). Returns when it is gone. */
  void stop();

  /** Starts it again on the same ports and data; returns when it answers. No-op if running. */
  void start();

  /**
   * SIGSTOP: the process stays, but answers nothing (a hung server, a long GC pause). Returns when
   * the process is stopped.
   */
  void pause();

  /** SIGCONT after {@link #pause()}. */
  void resume();

  boolean running();

  /** The server's process id while it runs: a restart shows as a new one. */
  OptionalLong pid();
}
