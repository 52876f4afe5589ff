package io.redstats.e2e;

import io.redstats.testsupport.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * bench/chaos/run.sh: every fault of {@link Chaos} in turn on one fresh {@link Stack}, under load;
 * prints progress, writes the table between the chaos markers of docs/RELIABILITY.md, and exits 0
 * only when every phase passed.
 *
 * <p>Arguments: {@code [--quick] [--doc PATH]}.
 */
public final class ChaosSuite {

  static final String TABLE_START = "<!-- chaos-table:start -->";
  static final String TABLE_END = "<!-- chaos-table:end -->";

  private ChaosSuite() {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Path doc = Stack.ROOT.resolve("docs/RELIABILITY.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--doc" -> doc = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Duration hold = Duration.ofSeconds(quick ? 10 : 30);
    LoadGenerator.Settings settings = LoadGenerator.Settings.of(quick ? 40 : 100, quick ? 6 : 12);
    Chaos.Timing timing =
        quick
            ? new Chaos.Timing(
                Duration.ofSeconds(3),
                Duration.ofSeconds(3),
                Duration.ofMinutes(3),
                Duration.ofMinutes(4))
            : new Chaos.Timing(
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofMinutes(3),
                Duration.ofMinutes(5));
    List<Chaos.Fault> faults =
        List.of(
            Chaos.killAndRestart(Server.KAFKA),
            Chaos.killAndRestart(Server.CLICKHOUSE),
            Chaos.killAndRestart(Server.POSTGRES),
            Chaos.killAndRestart("ingest"),
            Chaos.killAndRestart("notifier-1"),
            Chaos.killAndRestartNginx(),
            Chaos.killAndRestart("api"),
            Chaos.killAndRestart("red"),
            Chaos.pause(Server.KAFKA, hold),
            Chaos.slowSink(hold));

    long started = System.nanoTime();
    System.out.println("[chaos] starting the stack");
    Stack stack = Stack.get();
    try {
      for (Server server : Server.values()) {
        stack.servers.controlled(server);
      }
    } catch (IllegalStateException e) {
      System.out.println("[chaos] " + e.getMessage());
      System.exit(2);
    }
    List<Chaos.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      System.out.printf("[chaos] %d/%d %s%n", i + 1, faults.size(), faults.get(i).name());
      outcomes.add(Chaos.phase(stack, faults.get(i), settings, timing, System.out));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String table = table(outcomes, quick, took);
    System.out.println(table);
    writeTable(doc, table);
    System.out.println("[chaos] table written to " + doc + "; took " + took.toSeconds() + " s");
    System.exit(outcomes.stream().allMatch(Chaos.Outcome::passed) ? 0 : 1);
  }

  static String table(List<Chaos.Outcome> outcomes, boolean quick, Duration took) {
    StringBuilder out = new StringBuilder();
    out.append("Latest run: ")
        .append(Instant.now().truncatedTo(ChronoUnit.MINUTES))
        .append(quick ? ", `--quick`" : ", full")
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(took.toSeconds())
        .append(" s in all.\n\n");
    out.append(
        "| fault | load during it | acknowledged | stored | duplicates | alerts missing / duplicated"
            + " | recovery time | verdict |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    outcomes.forEach(o -> out.append(o.tableRow()).append('\n'));
    return out.toString();
  }

  /** Replaces what is between the markers, nothing else; appends the block if it is missing. */
  static void writeTable(Path doc, String table) throws Exception {
    String text = Files.exists(doc) ? Files.readString(doc) : "";
    String block = TABLE_START + "\n" + table + TABLE_END;
    int start = text.indexOf(TABLE_START);
    int end = text.indexOf(TABLE_END);
    if (start >= 0 && end > start) {
      text = text.substring(0, start) + block + text.substring(end + TABLE_END.length());
    } else {
      text = text + "\n" + block + "\n";
    }
    Files.writeString(doc, text);
  }
}
