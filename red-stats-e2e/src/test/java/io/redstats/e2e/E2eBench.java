package io.redstats.e2e;

import java.time.Duration;

/**
 * The end-to-end load generator as a program (bench/e2e/run.sh): a fresh {@link Stack}, the load
 * for a while, then {@link Verification}; prints KEY=VALUE lines on stdout (progress on stderr) and
 * exits 0 when verified, 1 when not.
 *
 * <p>Arguments: {@code [--rate R] [--seconds S] [--subscribers N] [--red-share F]}.
 */
public final class E2eBench {

  /** Long enough for a backlog behind a slow sink to arrive, short enough to notice a hang. */
  private static final Duration SETTLE = Duration.ofMinutes(3);

  private E2eBench() {}

  public static void main(String[] args) throws Exception {
    double rate = 200;
    int seconds = 60;
    int subscribers = 20;
    double redShare = LoadGenerator.DEFAULT_RED_SHARE;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--subscribers" -> subscribers = Integer.parseInt(args[++i]);
        case "--red-share" -> redShare = Double.parseDouble(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    LoadGenerator.Settings defaults = LoadGenerator.Settings.of(rate, subscribers);
    LoadGenerator.Settings settings =
        new LoadGenerator.Settings(rate, redShare, subscribers, defaults.clients());
    System.err.println("[e2e] starting the stack");
    Stack stack = Stack.get();
    System.err.printf("[e2e] load: %s for %d s%n", settings, seconds);
    boolean verified;
    try (LoadGenerator load = new LoadGenerator(stack, settings).start()) {
      for (int s = 10; s <= seconds; s += 10) {
        Thread.sleep(10_000);
        System.err.printf(
            "[e2e] %d s: %d acknowledged, %d in flight%n", s, load.acked().size(), load.pending());
      }
      Thread.sleep((seconds % 10) * 1_000L);
      System.err.println("[e2e] load stopped; waiting for everything to arrive, then verifying");
      Verification.Result result = Verification.await(stack, load, SETTLE);
      System.out.println("rate=" + rate);
      System.out.println("seconds=" + seconds);
      System.out.println("subscribers=" + subscribers);
      System.out.println(result.lines());
      verified = result.verified();
    }
    System.exit(verified ? 0 : 1);
  }
}
