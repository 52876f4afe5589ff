package io.redstats.e2e;

import io.redstats.contract.auth.Scopes;
import io.redstats.testsupport.Server;
import io.redstats.testsupport.ServerControl;
import io.redstats.testsupport.ServiceProcess;
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
import java.util.concurrent.atomic.AtomicLong;

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

  /**
   * Every fault checks that it happened — the process gone after a kill, a new process after the
   * restart, the process stopped by SIGSTOP — and throws otherwise: a kill that hit nothing would
   * otherwise pass as a fault survived.
   */
  static Fault killAndRestart(Server server) {
    String name = server.name().toLowerCase(Locale.ROOT);
    AtomicLong killed = new AtomicLong();
    return new Fault(
        name + ": kill -9, restart",
        stack -> {
          ServerControl control = stack.servers.controlled(server);
          killed.set(control.pid().orElseThrow(() -> notRunning(name)));
          control.kill9();
          requireGone(name, killed.get(), !control.running());
        },
        Duration.ZERO,
        stack -> {
          ServerControl control = stack.servers.controlled(server);
          control.start();
          requireNew(name, killed.get(), control.pid().orElse(0));
        });
  }

  static Fault killAndRestart(String service) {
    AtomicLong killed = new AtomicLong();
    return new Fault(
        service + ": kill -9, restart",
        stack -> {
          ServiceProcess process = stack.service(service);
          if (!process.running()) {
            throw notRunning(service);
          }
          killed.set(process.pid());
          process.kill9();
          requireGone(service, killed.get(), !process.running());
        },
        Duration.ZERO,
        stack -> {
          stack.restart(service);
          ServiceProcess process = stack.service(service);
          requireNew(service, killed.get(), process.running() ? process.pid() : 0);
        });
  }

  static Fault killAndRestartNginx() {
    AtomicLong killed = new AtomicLong();
    return new Fault(
        "nginx: kill -9, restart",
        stack -> {
          killed.set(stack.nginxPid());
          stack.killNginx();
          requireGone("nginx", killed.get(), ProcessHandle.of(killed.get()).isEmpty());
        },
        Duration.ZERO,
        stack -> {
          stack.startNginx();
          long pid = stack.nginxPid();
          requireNew("nginx", killed.get(), ProcessHandle.of(pid).isPresent() ? pid : 0);
        });
  }

  /** SIGSTOP for HOLD, then SIGCONT: a hung server (a long GC pause, a stuck disk). */
  static Fault pause(Server server, Duration hold) {
    String name = server.name().toLowerCase(Locale.ROOT);
    // ServerControl.pause and resume check the process state themselves.
    return new Fault(
        name + ": SIGSTOP " + hold.toSeconds() + " s",
        stack -> stack.servers.controlled(server).pause(),
        hold,
        stack -> stack.servers.controlled(server).resume());
  }

  /** ClickHouse stopped for HOLD: the sink's path is slow, Kafka holds the backlog. */
  static Fault slowSink(Duration hold) {
    // ServerControl.stop and start check that the process is gone, then running.
    return new Fault(
        "clickhouse: stopped " + hold.toSeconds() + " s (slow sink)",
        stack -> stack.servers.controlled(Server.CLICKHOUSE).stop(),
        hold,
        stack -> stack.servers.controlled(Server.CLICKHOUSE).start());
  }

  private static IllegalStateException notRunning(String name) {
    return new IllegalStateException(name + " is not running: there is nothing to kill");
  }

  private static void requireGone(String name, long pid, boolean gone) {
    if (!gone) {
      throw new IllegalStateException(name + ": pid " + pid + " still runs after kill -9");
    }
  }

  /** PID 0: nothing runs. */
  private static void requireNew(String name, long killed, long pid) {
    if (pid == 0 || pid == killed) {
      throw new IllegalStateException(
          name + ": no new process after the restart (killed pid " + killed + ", now " + pid + ")");
    }
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
