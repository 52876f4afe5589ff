package io.redstats.contract.event;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two events with one image_id and different content, of which the dedup kept the first: {@code
 * kept} is the image as it is counted, {@code refused} the repeat that was dropped. Written to
 * {@link Topics#CONFLICTS} when nobody could refuse the repeat in time (two posts at the same
 * instant), so the producer that lost can find out.
 *
 * <p>JSON form: {@code
 * {"image_id":1,"kept":{event},"refused":{event},"detected_at":1763900000999}}, the events in
 * {@link EventJson}'s form.
 *
 * @param detectedAtMs when the dedup saw the repeat, epoch milliseconds
 */
public record ImageConflict(StatEvent kept, StatEvent refused, long detectedAtMs) {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  public ImageConflict {
    if (kept.imageId() != refused.imageId()) {
      throw new IllegalArgumentException(
          "a conflict is about one image_id: " + kept.imageId() + " vs " + refused.imageId());
    }
  }

  public long imageId() {
    return kept.imageId();
  }

  public String toJson() {
    return "{\""
        + EventFields.IMAGE_ID
        + "\":"
        + imageId()
        + ",\"kept\":"
        + EventJson.toJson(kept)
        + ",\"refused\":"
        + EventJson.toJson(refused)
        + ",\"detected_at\":"
        + detectedAtMs
        + "}";
  }

  /** Reads what {@link #toJson} wrote; anything else throws {@link IllegalArgumentException}. */
  public static ImageConflict fromBytes(byte[] bytes) {
    try {
      JsonNode tree = MAPPER.readTree(bytes);
      JsonNode detectedAt = tree.get("detected_at");
      if (detectedAt == null || !detectedAt.isIntegralNumber()) {
        throw new IllegalArgumentException("a conflict record needs detected_at");
      }
      return new ImageConflict(event(tree, "kept"), event(tree, "refused"), detectedAt.longValue());
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not a conflict record: " + e.getOriginalMessage(), e);
    }
  }

  private static StatEvent event(JsonNode tree, String name) {
    JsonNode node = tree.get(name);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("a conflict record needs " + name);
    }
    return EventJson.fromBytes(node.toString().getBytes(StandardCharsets.UTF_8));
  }
}
