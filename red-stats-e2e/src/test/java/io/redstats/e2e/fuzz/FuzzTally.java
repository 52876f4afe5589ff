package io.redstats.e2e.fuzz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts per endpoint and category, the failing cases in full, and the summary table. */
public final class FuzzTally {

  private static final int MAX_FAILURES_SHOWN = 30;
  private static final int SLOWEST_SHOWN = 5;

  private final Map<String, Row> rows = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();
  private final Map<String, Long> stored = new LinkedHashMap<>();
  private final List<String> slowest = new ArrayList<>();

  private static final class Row {
    int cases;
    int refused4xx;
    int wsRefused;
    int server5xx;
    int timeouts;
    int other;
    int failed;
  }

  /** A case's outcome: OUTCOME as printed, FAILURE null when it was refused as it should be. */
  public void record(FuzzCase c, String outcome, String failure, long millis) {
    slowest.add(millis + " ms: " + c.endpoint() + " / " + c.category() + " / " + c.name());
    slowest.sort(Comparator.comparingLong(FuzzTally::leadingMillis).reversed());
    if (slowest.size() > SLOWEST_SHOWN) {
      slowest.remove(slowest.size() - 1);
    }
    Row row = rows.computeIfAbsent(c.endpoint() + " | " + c.category(), k -> new Row());
    row.cases++;
    int status = status(outcome);
    if (status >= 400 && status < 500) {
      row.refused4xx++;
    } else if (status >= 500) {
      row.server5xx++;
    } else if (outcome.startsWith("no answer: timeout") || outcome.startsWith("timeout")) {
      row.timeouts++;
    } else if (failure == null) {
      row.wsRefused++;
    } else {
      row.other++;
    }
    if (failure != null) {
      row.failed++;
      failures.add(
          "FAILED: "
              + failure
              + "\n  got: "
              + outcome
              + "\n  case: "
              + c.describe().replace("\n", "\n    "));
    }
  }

  public void skipped(FuzzCase c) {
    rows.computeIfAbsent(c.endpoint() + " | " + c.category(), k -> new Row());
    skipped.add(c.endpoint() + " / " + c.category() + " / " + c.name() + ": " + c.knownBug());
  }

  public void stored(String where, long rows) {
    stored.put(where, rows);
  }

  public List<String> failures() {
    return failures;
  }

  public String failureReport() {
    StringBuilder report = new StringBuilder();
    failures.stream().limit(MAX_FAILURES_SHOWN).forEach(f -> report.append(f).append("\n\n"));
    if (failures.size() > MAX_FAILURES_SHOWN) {
      report.append("… and ").append(failures.size() - MAX_FAILURES_SHOWN).append(" more\n");
    }
    return report.toString();
  }

  /** A Markdown table: one row per endpoint and category, a total, then the stores. */
  public String summary(String title) {
    StringBuilder s = new StringBuilder();
    s.append("Bad-input corpus, ").append(title).append("\n\n");
    s.append(
        "| endpoint | category | cases | 4xx | WS refused | 5xx | timeouts | other | failed |\n");
    s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    Row total = new Row();
    rows.forEach(
        (key, row) -> {
          String[] parts = key.split(" \\| ");
          line(s, parts[0], parts[1], row);
          total.cases += row.cases;
          total.refused4xx += row.refused4xx;
          total.wsRefused += row.wsRefused;
          total.server5xx += row.server5xx;
          total.timeouts += row.timeouts;
          total.other += row.other;
          total.failed += row.failed;
        });
    line(s, "**all**", "", total);
    s.append("\n| stored afterwards | rows |\n|---|---:|\n");
    stored.forEach(
        (where, n) -> s.append("| ").append(where).append(" | ").append(n).append(" |\n"));
    s.append("\nSlowest cases:\n");
    slowest.forEach(k -> s.append("- ").append(k).append('\n'));
    if (!skipped.isEmpty()) {
      s.append("\nKnown failures, not sent (").append(skipped.size()).append("):\n");
      skipped.forEach(k -> s.append("- ").append(k).append('\n'));
    }
    return s.toString();
  }

  private static void line(StringBuilder s, String endpoint, String category, Row row) {
    s.append("| ")
        .append(endpoint)
        .append(" | ")
        .append(category)
        .append(" | ")
        .append(row.cases)
        .append(" | ")
        .append(row.refused4xx)
        .append(" | ")
        .append(row.wsRefused)
        .append(" | ")
        .append(row.server5xx)
        .append(" | ")
        .append(row.timeouts)
        .append(" | ")
        .append(row.other)
        .append(" | ")
        .append(row.failed)
        .append(" |\n");
  }

  private static long leadingMillis(String line) {
    return Long.parseLong(line.substring(0, line.indexOf(' ')));
  }

  /** The status at the start of an outcome ("HTTP/1.1 400 ...", "http 400 ..."), or -1. */
  private static int status(String outcome) {
    String[] words = outcome.split(" ", 3);
    if (words.length >= 2 && (words[0].startsWith("HTTP/") || words[0].equals("http"))) {
      try {
        return Integer.parseInt(words[1]);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }
}
