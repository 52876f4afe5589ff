package io.redstats.red.upload;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code red-upload DIR}: uploads every image under a folder to RED. Exit code 0 when every file
 * was uploaded (or was already there), 1 when any failed, 2 on a usage error.
 */
@Command(
    name = "red-upload",
    mixinStandardHelpOptions = true,
    description = {
      "Uploads every image under DIR to RED (POST /images), each once: a file's",
      "Idempotency-Key is its SHA-256, so runs can be repeated or run side by side."
    })
public final class RedUploadCli implements Callable<Integer> {

  static final int EXIT_FAILURES = 1;

  @Parameters(index = "0", paramLabel = "DIR", description = "folder to upload, recursively")
  Path dir;

  @Option(
      names = "--url",
      defaultValue = "${env:RED_URL:-http://127.0.0.1:8080}",
      description = "RED's base URL (env RED_URL; default ${DEFAULT-VALUE})")
  URI url;

  @Option(
      names = "--token",
      defaultValue = "${env:RED_TOKEN}",
      description = "a client token with scope upload (env RED_TOKEN)")
  String token;

  @Option(
      names = "--glob",
      defaultValue = FolderUploader.DEFAULT_GLOB,
      description = "which files, relative to DIR, case-insensitive (default ${DEFAULT-VALUE})")
  String glob;

  @Option(
      names = {"-c", "--concurrency"},
      defaultValue = "4",
      description = "uploads in flight at once (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "most uploads started per second, 0 for no limit (default ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "per request (default ${DEFAULT-VALUE})")
  Duration timeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--no-progress", description = "no progress bar, only the summary")
  boolean noProgress;

  private final PrintStream out;
  private final PrintStream err;

  public RedUploadCli() {
    this(System.out, System.err);
  }

  RedUploadCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  static int run(PrintStream out, PrintStream err, String... args) {
    CommandLine cli = new CommandLine(new RedUploadCli(out, err));
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (token == null || token.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "a token is needed: --token or RED_TOKEN");
    }
    if (!Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(spec.commandLine(), dir + " is not a folder");
    }
    if (concurrency < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--concurrency must be ≥ 1");
    }
    List<Path> files = FolderUploader.files(dir, glob);
    boolean terminal = System.console() != null && !noProgress;
    Progress progress = new Progress(noProgress ? nullStream() : err, terminal, files.size());
    long started = System.nanoTime();
    List<UploadResult> results =
        new FolderUploader(url, token, timeout)
            .uploadAll(files, concurrency, new RateLimiter(rate), progress);
    progress.end();
    Summary summary = new Summary(dir, results, Duration.ofNanos(System.nanoTime() - started));
    summary.print(out);
    return summary.failed() > 0 ? EXIT_FAILURES : 0;
  }

  private static PrintStream nullStream() {
    return new PrintStream(java.io.OutputStream.nullOutputStream());
  }

  /** Reads {@code 60s}, {@code 500ms}, {@code 2m}, or ISO-8601 {@code PT1M}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(java.util.Locale.ROOT);
      if (v.startsWith("pt")) {
        return Duration.parse(value);
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(v));
    }
  }
}
