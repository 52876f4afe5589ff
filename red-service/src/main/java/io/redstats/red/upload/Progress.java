package io.redstats.red.upload;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar with rate and ETA. On a terminal it redraws one line; otherwise (a log, CI) it
 * prints a line at most every {@value #PLAIN_EVERY_SECONDS} seconds so logs stay readable.
 */
final class Progress {

  private static final int BAR_WIDTH = 30;
  private static final int PLAIN_EVERY_SECONDS = 5;

  private final PrintStream out;
  private final boolean terminal;
  private final int total;
  private final long started = System.nanoTime();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicLong lastPlain = new AtomicLong(System.nanoTime());

  Progress(PrintStream out, boolean terminal, int total) {
    this.out = out;
    this.terminal = terminal;
    this.total = total;
  }

  void finished(UploadResult result) {
    int now = done.incrementAndGet();
    if (result.failed()) {
      failed.incrementAndGet();
    }
    if (terminal) {
      draw(now, "\r");
    } else if (now == total || due()) {
      draw(now, "");
    }
  }

  void end() {
    if (terminal) {
      out.println();
    }
  }

  String line(int count, long elapsedNanos) {
    double fraction = total == 0 ? 1 : (double) count / total;
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    double seconds = elapsedNanos / 1e9;
    double rate = seconds > 0 ? count / seconds : 0;
    String eta = rate > 0 ? format(Duration.ofSeconds((long) ((total - count) / rate))) : "--:--";
    return String.format(
        "[%s%s] %d/%d %5.1f%% %6.1f img/s ETA %s failed %d",
        "#".repeat(filled),
        ".".repeat(BAR_WIDTH - filled),
        count,
        total,
        fraction * 100,
        rate,
        eta,
        failed.get());
  }

  private synchronized void draw(int count, String prefix) {
    String text = line(count, System.nanoTime() - started);
    if (terminal) {
      out.print(prefix + text);
      out.flush();
    } else {
      out.println(text);
    }
  }

  private boolean due() {
    long now = System.nanoTime();
    long last = lastPlain.get();
    return now - last >= Duration.ofSeconds(PLAIN_EVERY_SECONDS).toNanos()
        && lastPlain.compareAndSet(last, now);
  }

  static String format(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
        : String.format("%02d:%02d", s / 60, s % 60);
  }
}
