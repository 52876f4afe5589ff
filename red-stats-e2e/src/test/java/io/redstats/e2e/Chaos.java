package io.redstats.e2e;

import io.redstats.contract.auth.Scopes;
import io.redstats.testsupport.Server;
import io.redstats.testsupport.ServerControl;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Faults, one at a time, under the load of {@link LoadGenerator}: each phase subscribes, starts
 * posting, breaks one part, repairs it, keeps posting a little, then waits for everything to settle
 * and verifies (see {@link Verification}). Recovery time is measured by a probe — an image uploaded
 * through RED every second after the fault ended — as the time until one such image is both counted
 * by GET /stats and alerted through nginx: the whole path works again.
 */
final class Chaos {

  /** Something done to the stack: a kill, a restart, a signal. */
  interface Action {
    void run(Stack stack) throws Exception;
  }

  /** Break it, leave it broken for HOLD, repair it. */
  record Fault(String name, Action breakIt, Duration hold, Action repair) {}

  /** How long each phase posts before and after the fault, and waits for it all to settle. */
  record Timing(Duration before, Duration after, Duration settle, Duration recovery) {}

  /** One phase's outcome: the verification, the recovery time (null: never), and any error. */
  record Outcome(
      Fault fault,
      LoadGenerator.Settings settings,
      Verification.Result result,
      Duration recovery,
      Duration recoveryLimit,
      String error) {

    boolean passed() {
      return error == null && recovery != null && result != null && result.verified();
    }

    /** A row of the table in docs/RELIABILITY.md. */
    String tableRow() {
      if (result == null) {
        return "| "
            + fault.name()
            + " | "
            + rate(settings.rate())
            + " | – | – | – | – | – | **fails**: "
            + error
            + " |";
      }
      return String.format(
          Locale.ROOT,
          "| %s | %s target, %.0f/s acked | %d | %d | %d | %d / %d | %s | %s |",
          fault.name(),
          rate(settings.rate()),
          result.ackedPerSecond(),
          result.acknowledged(),
          result.stored(),
          result.duplicates(),
          result.alertsMissing(),
          result.alertsDuplicated(),
          recovery == null
              ? "not within " + recoveryLimit.toSeconds() + " s"
              : String.format(Locale.ROOT, "%.1f s", recovery.toMillis() / 1e3),
          passed() ? "ok" : "**fails**" + (error == null ? "" : ": " + error));
    }

    private static String rate(double rate) {
      return String.format(Locale.ROOT, "%.0f/s", rate);
    }
  }

  /** The first line of an error, fit for a table cell. */
  private static String summary(Exception e) {
    String text = e.getClass().getSimpleName() + ": " + e.getMessage();
    String line = text.lines().filter(l -> !l.isBlank()).findFirst().orElse(text);
    return line.replace('|', '/');
  }

  private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

  private Chaos() {}

  static Fault killAndRestart(Server server) {
    String name = server.name().toLowerCase(Locale.ROOT);
    return new Fault(
        name + ": kill -9, restart",
        stack -> control(stack, server).kill9(),
        Duration.ZERO,
        stack -> control(stack, server).start());
  }

  static Fault killAndRestart(String service) {
    return new Fault(
        service + ": kill -9, restart",
        stack -> stack.service(service).kill9(),
        Duration.ZERO,
        stack -> stack.restart(service));
  }

  static Fault killAndRestartNginx() {
    return new Fault("nginx: kill -9, restart", Stack::killNginx, Duration.ZERO, Stack::startNginx);
  }

  /** SIGSTOP for HOLD, then SIGCONT: a hung server (a long GC pause, a stuck disk). */
  static Fault pause(Server server, Duration hold) {
    String name = server.name().toLowerCase(Locale.ROOT);
    return new Fault(
        name + ": SIGSTOP " + hold.toSeconds() + " s",
        stack -> control(stack, server).pause(),
        hold,
        stack -> control(stack, server).resume());
  }

  /** ClickHouse stopped for HOLD: the sink's path is slow, Kafka holds the backlog. */
  static Fault slowSink(Duration hold) {
    return new Fault(
        "clickhouse: stopped " + hold.toSeconds() + " s (slow sink)",
        stack -> control(stack, Server.CLICKHOUSE).stop(),
        hold,
        stack -> control(stack, Server.CLICKHOUSE).start());
  }

  static boolean canControl(Stack stack) {
    return stack.servers.control(Server.KAFKA).isPresent();
  }

  private static ServerControl control(Stack stack, Server server) {
    return stack
        .servers
        .control(server)
        .orElseThrow(
            () -> new IllegalStateException(server + " is not a local server: cannot kill it"));
  }

  /** Runs one phase; never throws for a failure of the system, the outcome says it. */
  static Outcome phase(
      Stack stack, Fault fault, LoadGenerator.Settings settings, Timing timing, PrintStream log)
      throws InterruptedException {
    ExecutorService prober = Executors.newSingleThreadExecutor();
    long probeClient = ThreadLocalRandom.current().nextLong(1L << 51, 1L << 52);
    Subscriber probe =
        new Subscriber(
            stack.nginx.wsUrl("/alerts"),
            stack.token(probeClient, Scopes.SUBSCRIBE),
            probeClient,
            0);
    LoadGenerator load = new LoadGenerator(stack, settings);
    try {
      probe.start(timing.recovery());
      load.start();
      log.printf("[chaos] %s: load running (%s)%n", fault.name(), settings);
      Thread.sleep(timing.before().toMillis());
      fault.breakIt().run(stack);
      log.printf("[chaos] %s: broken, for %d s%n", fault.name(), fault.hold().toSeconds());
      Thread.sleep(fault.hold().toMillis());
      long faultEnd = System.nanoTime();
      Future<Duration> recovery =
          prober.submit(() -> awaitRecovery(stack, probe, probeClient, faultEnd, timing));
      fault.repair().run(stack);
      log.printf("[chaos] %s: repaired; load goes on%n", fault.name());
      Thread.sleep(timing.after().toMillis());
      log.printf("[chaos] %s: load stopped; waiting for everything to arrive%n", fault.name());
      Verification.Result result = Verification.await(stack, load, timing.settle());
      Duration recovered = recovery.get(timing.recovery().toSeconds() + 10, TimeUnit.SECONDS);
      Outcome outcome = new Outcome(fault, settings, result, recovered, timing.recovery(), null);
      log.printf(
          "[chaos] %s: %s, recovered in %s%n%s%n",
          fault.name(),
          outcome.passed() ? "ok" : "FAILS",
          recovered,
          result.lines().replaceAll("(?m)^", "    "));
      return outcome;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      log.printf("[chaos] %s: error %s%n", fault.name(), e);
      return new Outcome(fault, settings, null, null, timing.recovery(), summary(e));
    } finally {
      prober.shutdownNow();
      load.close();
      probe.close();
    }
  }

  /**
   * Uploads a probe image through RED every second from FAULT_END on, until one of them is both
   * counted by GET /stats and alerted to PROBE; returns the time since FAULT_END, or null.
   */
  private static Duration awaitRecovery(
      Stack stack, Subscriber probe, long clientId, long faultEnd, Timing timing)
      throws InterruptedException {
    String upload = stack.token(clientId, Scopes.UPLOAD, Scopes.QUERY);
    byte[] png = Images.png(100);
    List<long[]> probes = new ArrayList<>(); // {image_id, timestamp}
    long lastUpload = 0;
    long deadline = faultEnd + timing.recovery().toNanos();
    while (System.nanoTime() < deadline) {
      if (System.nanoTime() - lastUpload > PROBE_EVERY.toNanos()) {
        lastUpload = System.nanoTime();
        try {
          HttpResponse<String> response =
              Http.post(
                  stack.redUrl + "/images", upload, "image/png", png, UUID.randomUUID().toString());
          if (response.statusCode() == 201) {
            var json = Http.JSON.readTree(response.body());
            probes.add(
                new long[] {json.path("image_id").asLong(), json.path("timestamp").asLong()});
          }
        } catch (Exception e) {
          // RED down or slow: the next probe tries again
        }
      }
      for (long[] p : probes) {
        if (probe.received().containsKey(p[0]) && counted(stack, upload, clientId, p[1])) {
          return Duration.ofNanos(System.nanoTime() - faultEnd);
        }
      }
      Thread.sleep(200);
    }
    return null;
  }

  private static boolean counted(Stack stack, String token, long clientId, long timestamp) {
    try {
      String url =
          stack.apiUrl
              + "/stats?from="
              + timestamp
              + "&to="
              + (timestamp + 1)
              + "&red=0&client_id="
              + clientId;
      HttpResponse<String> response = Http.get(url, token);
      return response.statusCode() == 200
          && Http.JSON.readTree(response.body()).path("images").asLong() >= 1;
    } catch (Exception e) {
      return false;
    }
  }
}
