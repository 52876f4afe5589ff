package io.redstats.red.upload;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The table printed at the end of a run: counts, volume, speed, and every failed file. */
final class Summary {

  private final Path dir;
  private final List<UploadResult> results;
  private final Duration elapsed;

  Summary(Path dir, List<UploadResult> results, Duration elapsed) {
    this.dir = dir;
    this.results = results;
    this.elapsed = elapsed;
  }

  long failed() {
    return results.stream().filter(UploadResult::failed).count();
  }

  void print(PrintStream out) {
    long created = results.stream().filter(UploadResult::created).count();
    long already = results.stream().filter(UploadResult::alreadyThere).count();
    long bytes = results.stream().mapToLong(UploadResult::bytes).sum();
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    out.println();
    out.printf("%-22s %10s%n", "files", results.size());
    out.printf("%-22s %10d%n", "uploaded (new)", created);
    out.printf("%-22s %10d%n", "already uploaded", already);
    out.printf("%-22s %10d%n", "failed", failed());
    out.printf("%-22s %10.1f%n", "MiB read", bytes / (1024.0 * 1024.0));
    out.printf("%-22s %10s%n", "time", Progress.format(elapsed));
    out.printf("%-22s %10.1f%n", "images/s", results.size() / seconds);
    if (failed() == 0) {
      return;
    }
    out.println();
    out.printf("%-6s  %-40s  %s%n", "status", "file", "reason");
    results.stream()
        .filter(UploadResult::failed)
        .forEach(
            r ->
                out.printf(
                    "%-6s  %-40s  %s%n",
                    r.status() == 0 ? "-" : Integer.toString(r.status()),
                    dir.relativize(r.file()),
                    r.message()));
  }
}
