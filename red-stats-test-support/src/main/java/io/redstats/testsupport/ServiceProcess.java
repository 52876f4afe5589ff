package io.redstats.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spring Boot jar run as its own JVM, for tests that kill -9 a service or drive it end to end.
 * Properties are passed as {@code --key=value}, except secrets (a key whose last part names a
 * secret, a password or a token), which go in the environment variable {@value #SECRETS_VARIABLE}
 * that Spring Boot reads as JSON: a command line is world-readable in {@code /proc/<pid>/cmdline},
 * a process's environment only to its owner. {@code server.port} is required (use {@link
 * FreePorts}). Output goes to {@code target/service-logs/<name>-<time>.log} of the module under
 * test, kept for reading after a failure.
 */
public final class ServiceProcess implements AutoCloseable {

  /**
   * Small heap (several services, brokers and databases share two cores in a test run) and C1 only
   * (starts faster; tests are short-lived). Benchmarks pass their own options instead.
   */
  public static final List<String> TEST_JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

  /**
   * Set this system property to {@code true} to start services from their extracted jar with a
   * class data sharing archive kept under {@code <module>/target/cds/} (the bench scripts do):
   * about half the CPU of a start. The first start of a jar records the archive when it stops. See
   * {@link ServiceCds}.
   */
  public static final String CDS_PROPERTY = "redstats.service.cds";

  /**
   * Spring Boot's own variable for properties as JSON (below command-line arguments, above
   * everything else), so a secret keeps its exact property name.
   */
  static final String SECRETS_VARIABLE = "SPRING_APPLICATION_JSON";

  /** The last part of a property key that marks its value as a secret. */
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i)(^|[.-])(secret|password|token|credentials?)$");

  /** A clean Spring Boot shutdown takes a few seconds; after this it is killed. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private static final Duration POLL = Duration.ofMillis(250);
  private static final Path LOG_DIR = Path.of("target", "service-logs");
  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HHmmss-SSS");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * Services a test forgot to close die with the test JVM instead of outliving it (killed; those
   * that record a CDS archive write it first).
   */
  private static final Map<Process, Optional<ServiceCds>> LIVE = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ServiceProcess::reap, "service-process-reaper"));
  }

  private final String name;
  private final Path jar;
  private final Map<String, String> properties;
  private final Duration healthTimeout;
  private final List<String> jvmOptions;
  private final Process process;
  private final Optional<ServiceCds> cds;
  private final Path log;
  private final URI health;

  /** When {@link #healthTimeout} runs out, counted from the launch. */
  private final long healthDeadline;

  private ServiceProcess(
      String name,
      Path jar,
      Map<String, String> properties,
      Duration healthTimeout,
      List<String> jvmOptions,
      Process process,
      Optional<ServiceCds> cds,
      Path log) {
    this.name = name;
    this.jar = jar;
    this.properties = properties;
    this.healthTimeout = healthTimeout;
    this.jvmOptions = jvmOptions;
    this.process = process;
    this.cds = cds;
    this.log = log;
    this.health =
        URI.create("http://127.0.0.1:" + properties.get("server.port") + "/actuator/health");
    this.healthDeadline = System.nanoTime() + healthTimeout.toNanos();
  }

  /**
   * The runnable Spring Boot jar that MODULE's build packaged ({@code
   * <module>/target/<module>-<version>.jar} under the repository root that failsafe names in {@code
   * redstats.root}). Integration tests run after {@code package}, so a module's own jar, and the
   * jars of modules it is ordered after, exist.
   */
  public static Path packagedJar(String module) {
    Path target =
        Path.of(System.getProperty("redstats.root", "..")).resolve(module).resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches(module + "-[0-9].*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException("no jar in " + target + ": mvn package -pl " + module));
    } catch (IOException e) {
      throw new UncheckedIOException("no jar in " + target + ": mvn package -pl " + module, e);
    }
  }

  /** Starts JAR and returns once {@code /actuator/health} answers UP, or throws with its log. */
  public static ServiceProcess start(
      String name, Path jar, Map<String, String> properties, Duration healthTimeout) {
    return start(name, jar, properties, healthTimeout, TEST_JVM_OPTIONS);
  }

  /**
   * Like {@link #start(String, Path, Map, Duration)} with JVM options of the caller's choosing in
   * place of {@link #TEST_JVM_OPTIONS} (a benchmark wants full JIT and a production-sized heap).
   */
  public static ServiceProcess start(
      String name,
      Path jar,
      Map<String, String> properties,
      Duration healthTimeout,
      List<String> jvmOptions) {
    return launch(name, jar, properties, healthTimeout, jvmOptions).awaitHealthy();
  }

  /**
   * Starts JAR and returns at once, before it is up: launch several, then wait for all of them with
   * {@link #awaitHealthy(Collection)}, so that their start-ups overlap. HEALTH_TIMEOUT counts from
   * now.
   */
  public static ServiceProcess launch(
      String name, Path jar, Map<String, String> properties, Duration healthTimeout) {
    return launch(name, jar, properties, healthTimeout, TEST_JVM_OPTIONS);
  }

  /** {@link #launch(String, Path, Map, Duration)} with JVM options of the caller's choosing. */
  public static ServiceProcess launch(
      String name,
      Path jar,
      Map<String, String> properties,
      Duration healthTimeout,
      List<String> jvmOptions) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " does not exist (package the service first)");
    }
    String port = properties.get("server.port");
    if (port == null) {
      throw new IllegalArgumentException("properties must name server.port (FreePorts.next())");
    }
    Map<String, String> copy = new LinkedHashMap<>(properties);
    Path log = newLogFile(name);
    List<String> options = List.copyOf(jvmOptions);
    Optional<ServiceCds> cds = ServiceCds.forJar(jar);
    cds.ifPresent(c -> RealServers.log(name + ": " + c.describe()));
    Process process = exec(jar, options, cds, copy, log);
    return new ServiceProcess(name, jar, copy, healthTimeout, options, process, cds, log);
  }

  /**
   * Returns once {@code /actuator/health} answers UP. Throws, naming the service and showing its
   * log tail, when it exits first or its health timeout runs out (then it is killed).
   */
  public ServiceProcess awaitHealthy() {
    awaitHealthy(List.of(this));
    return this;
  }

  /**
   * Waits until every one of SERVICES answers UP, polling them in turn. The first that exits or
   * runs out of its health timeout ends the wait with its name and log tail (that one is killed;
   * the others keep running, for the caller to close).
   */
  public static void awaitHealthy(Collection<ServiceProcess> services) {
    List<ServiceProcess> starting = new ArrayList<>(services);
    while (true) {
      starting.removeIf(ServiceProcess::checkUp);
      if (starting.isEmpty()) {
        return;
      }
      Processes.sleep(POLL);
    }
  }

  private static Path newLogFile(String name) {
    try {
      Files.createDirectories(LOG_DIR);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return LOG_DIR
        .resolve(name + "-" + LocalDateTime.now().format(LOG_TIME) + ".log")
        .toAbsolutePath();
  }

  private static Process exec(
      Path jar,
      List<String> jvmOptions,
      Optional<ServiceCds> cds,
      Map<String, String> properties,
      Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    if (cds.isPresent()) {
      command.addAll(cds.get().command());
    } else {
      command.add("-jar");
      command.add(jar.toAbsolutePath().toString());
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    properties.forEach(
        (key, value) -> {
          if (isSecret(key)) {
            secrets.put(key, value);
          } else {
            command.add("--" + key + "=" + value);
          }
        });
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (!secrets.isEmpty()) {
        builder.environment().put(SECRETS_VARIABLE, json(secrets));
      }
      Process process = builder.start();
      LIVE.put(process, cds);
      process.onExit().thenRun(() -> LIVE.remove(process));
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Whether KEY's value stays off the command line (see the class comment). */
  static boolean isSecret(String key) {
    return SECRET_KEY.matcher(key).find();
  }

  /** A flat JSON object of string values; Spring Boot reads dotted keys as property names. */
  static String json(Map<String, String> values) {
    StringBuilder out = new StringBuilder("{");
    values.forEach(
        (key, value) -> {
          if (out.length() > 1) {
            out.append(',');
          }
          quote(out, key);
          out.append(':');
          quote(out, value);
        });
    return out.append('}').toString();
  }

  private static void quote(StringBuilder out, String text) {
    out.append('"');
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** True once UP; throws when the process exited or its health timeout ran out (killing it). */
  private boolean checkUp() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + " during start-up\n" + tail());
    }
    if (answersUp(health)) {
      RealServers.log(name + ": pid " + pid() + " UP on port " + health.getPort() + ", log " + log);
      return true;
    }
    if (System.nanoTime() - healthDeadline > 0) {
      forceKill();
      throw new IllegalStateException(
          name + " did not answer UP on " + health + " within " + healthTimeout + "\n" + tail());
    }
    return false;
  }

  private static boolean answersUp(URI health) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"UP\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The last lines of the log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /**
   * SIGKILL, and wait until it is gone. Throws when it was not running: a kill that hit nothing
   * must fail the fault test that meant it, not pass it.
   */
  public void kill9() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          this + " is not running (exited with " + process.exitValue() + "): nothing to kill");
    }
    forceKill();
  }

  private void forceKill() {
    process.destroyForcibly();
    waitForExit();
  }

  /** SIGTERM (Spring's graceful shutdown), then SIGKILL after a timeout. */
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    cds.ifPresent(c -> c.dumpBeforeStop(process.pid()));
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        forceKill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      forceKill();
    }
  }

  /**
   * The shutdown hook: SIGKILL for every service still running, those that record a CDS archive
   * after writing it (in parallel).
   */
  private static void reap() {
    List<Thread> dumping = new ArrayList<>();
    LIVE.forEach(
        (process, cds) -> {
          if (cds.isPresent() && cds.get().recording()) {
            Thread dump =
                new Thread(
                    () -> {
                      cds.get().dumpBeforeStop(process.pid());
                      process.destroyForcibly();
                    },
                    "service-cds-dump");
            dump.start();
            dumping.add(dump);
          } else {
            process.destroyForcibly();
          }
        });
    for (Thread dump : dumping) {
      try {
        dump.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops this process (if still running) and starts the same jar with the same properties. */
  public ServiceProcess restart() {
    stop();
    return start(name, jar, properties, healthTimeout, jvmOptions);
  }

  public long pid() {
    return process.pid();
  }

  public boolean running() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    stop();
  }

  private void waitForExit() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
