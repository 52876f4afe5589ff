package io.redstats.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Class data sharing for {@link ServiceProcess}, when {@value ServiceProcess#CDS_PROPERTY} is
 * {@code true}: the service starts from its jar extracted by Spring Boot's {@code jarmode=tools
 * extract} (a plain jar and {@code lib/}) with a dynamic CDS archive of the classes it loaded,
 * which takes about half the CPU of a start from the nested jar.
 *
 * <p>Kept in {@code <module>/target/cds/<size>-<mtime>/} of the jar ({@code app/} and {@code
 * app.jsa}; {@code <module>} is the jar's name without its version, so a copy named {@code
 * <module>.jar} with the same size and time finds it). The first start of a jar extracts it, and
 * its stop ({@link ServiceProcess#stop()}, or the end of the JVM that started it) first has it
 * write the archive ({@code -XX:+RecordDynamicDumpInfo}, {@code jcmd VM.cds dynamic_dump}): every
 * class of a real run, start-up and requests, and no separate training start. A service killed with
 * -9 leaves none; the next start records again. A new jar replaces the module's older entry.
 */
final class ServiceCds {

  private static final String ARCHIVE = "app.jsa";
  private static final Pattern VERSION = Pattern.compile("-[0-9][^/]*$");
  private static final AtomicLong RECORDINGS = new AtomicLong();

  /** Writing an archive of ~20 000 classes takes seconds; on a loaded machine, more. */
  private static final Duration DUMP_TIMEOUT = Duration.ofSeconds(90);

  private final Path thinJar;
  private final Path archive;

  /** Where this start writes its archive before it is published, or null when it uses one. */
  private final Path recording;

  private boolean dumped;

  private ServiceCds(Path thinJar, Path archive, Path recording) {
    this.thinJar = thinJar;
    this.archive = archive;
    this.recording = recording;
  }

  /** The extracted jar and archive of JAR when the property is set, else empty. */
  static Optional<ServiceCds> forJar(Path jar) {
    if (!Boolean.getBoolean(ServiceProcess.CDS_PROPERTY)) {
      return Optional.empty();
    }
    try {
      return Optional.of(prepare(jar.toAbsolutePath()));
    } catch (IOException | RuntimeException e) {
      RealServers.log("no CDS for " + jar + " (" + e + "); starting the jar itself");
      return Optional.empty();
    }
  }

  /** Serialised in this JVM; a file lock serialises it with other JVMs (two benches at once). */
  private static synchronized ServiceCds prepare(Path jar) throws IOException {
    String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    String module = VERSION.matcher(name).replaceFirst("");
    Path root = Path.of(System.getProperty("redstats.root", "..")).resolve(module);
    Path cache = root.resolve("target").resolve("cds");
    Files.createDirectories(cache);
    String key = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS);
    Path entry = cache.resolve(key);
    Path app = entry.resolve("app");
    try (FileChannel channel =
        FileChannel.open(
            cache.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.lock(); // released when the channel closes
      if (!Files.isDirectory(app)) {
        removeOtherEntries(cache, key);
        extract(jar, entry, app);
      }
    }
    Path thin = thinJarIn(app);
    Path archive = entry.resolve(ARCHIVE);
    if (Files.isRegularFile(archive)) {
      return new ServiceCds(thin, archive, null);
    }
    Path recording =
        entry.resolve(ProcessHandle.current().pid() + "-" + RECORDINGS.incrementAndGet() + ".jsa");
    return new ServiceCds(thin, archive, recording);
  }

  /** The JVM options and jar: use the archive, or keep what a dump at the end needs. */
  List<String> command() {
    List<String> command = new ArrayList<>();
    if (recording == null) {
      command.add("-XX:SharedArchiveFile=" + archive);
      // A stale or unreadable archive only costs the speed-up: the JVM then runs without it.
      command.add("-Xlog:cds=error,cds+dynamic=error");
    } else {
      command.add("-XX:+RecordDynamicDumpInfo");
    }
    command.add("-jar");
    command.add(thinJar.toString());
    return command;
  }

  boolean recording() {
    return recording != null;
  }

  String describe() {
    return recording == null ? "CDS archive " + archive : "CDS archive recorded when it stops";
  }

  /**
   * Before the service PID is stopped: has it write the archive of every class it loaded ({@code
   * jcmd VM.cds dynamic_dump}; start-up and the requests it served) and publishes it. Once per
   * start; the stop and the shutdown hook may both call it.
   */
  synchronized void dumpBeforeStop(long pid) {
    if (recording == null || dumped) {
      return;
    }
    dumped = true;
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            Long.toString(pid),
            "VM.cds",
            "dynamic_dump",
            recording.toString());
    try {
      Process jcmd =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      boolean done = jcmd.waitFor(DUMP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (done && jcmd.exitValue() == 0 && Files.isRegularFile(recording)) {
        Files.move(
            recording,
            archive,
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        RealServers.log("kept the CDS archive " + archive);
      } else {
        jcmd.destroyForcibly();
        RealServers.log("no CDS archive: " + String.join(" ", command) + " failed");
      }
    } catch (IOException e) {
      RealServers.log("no CDS archive: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        Files.deleteIfExists(recording);
      } catch (IOException e) {
        RealServers.log("could not remove " + recording + ": " + e);
      }
    }
  }

  private static void extract(Path jar, Path entry, Path app) throws IOException {
    Path tmp = entry.resolveSibling(entry.getFileName() + ".extracting");
    deleteTree(tmp);
    Files.createDirectories(entry);
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djarmode=tools",
            "-jar",
            jar.toString(),
            "extract",
            "--destination",
            tmp.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("extracting failed: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while extracting " + jar, e);
    }
    try {
      Files.move(tmp, app, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteTree(tmp);
      // The bench scripts extract in the background (bench_cds_extract): theirs came first.
      if (!Files.isDirectory(app)) {
        throw e;
      }
    }
  }

  private static Path thinJarIn(Path app) throws IOException {
    try (Stream<Path> files = Files.list(app)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".jar"))
          .findFirst()
          .orElseThrow(() -> new IOException("no jar in " + app));
    }
  }

  /** The module's entries of older jars: a build replaces the jar, each entry is ~100-200 MB. */
  private static void removeOtherEntries(Path cache, String key) throws IOException {
    try (Stream<Path> entries = Files.list(cache)) {
      for (Path other : entries.filter(Files::isDirectory).toList()) {
        if (!other.getFileName().toString().startsWith(key)) { // key.extracting-*: in progress
          deleteTree(other);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
