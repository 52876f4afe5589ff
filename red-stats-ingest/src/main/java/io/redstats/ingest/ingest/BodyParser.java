package io.redstats.ingest.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Splits a request body into its items: one JSON object, a JSON array of them, or NDJSON (one per
 * line, blank lines ignored). Malformed JSON is refused naming the line and column where it broke.
 */
final class BodyParser {

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final int maxItems;

  BodyParser(int maxItems) {
    this.maxItems = maxItems;
  }

  /** The parsed body: its items, and whether it was a single object (items have no index). */
  record Items(List<JsonNode> nodes, boolean single) {}

  Items parseJson(byte[] body) {
    JsonNode root = read(body, 0);
    if (root == null || root.isMissingNode()) {
      throw RefusedException.malformed("the body is empty; send an event, an array or NDJSON");
    }
    if (!root.isArray()) {
      return new Items(List.of(root), true);
    }
    checkCount(root.size());
    List<JsonNode> nodes = new ArrayList<>(root.size());
    root.forEach(nodes::add);
    return new Items(nodes, false);
  }

  Items parseNdjson(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    List<JsonNode> nodes = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      checkCount(nodes.size() + 1);
      nodes.add(read(lines[i].getBytes(StandardCharsets.UTF_8), i));
    }
    if (nodes.isEmpty()) {
      throw RefusedException.malformed("the body is empty; send one JSON event per line");
    }
    return new Items(nodes, false);
  }

  private void checkCount(int count) {
    if (count > maxItems) {
      throw RefusedException.tooLarge(
          "a request may carry at most " + maxItems + " events; split the batch");
    }
  }

  /** Reads one JSON value; {@code lineOffset} is added to the line number an error names. */
  private static JsonNode read(byte[] json, int lineOffset) {
    try {
      return MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw RefusedException.malformed(where(e, lineOffset) + e.getOriginalMessage());
    }
  }

  private static String where(JacksonException e, int lineOffset) {
    TokenStreamLocation location = e.getLocation();
    if (location == null || location == TokenStreamLocation.NA) {
      return "malformed JSON: ";
    }
    return "malformed JSON at line "
        + (location.getLineNr() + lineOffset)
        + ", column "
        + location.getColumnNr()
        + ": ";
  }
}
