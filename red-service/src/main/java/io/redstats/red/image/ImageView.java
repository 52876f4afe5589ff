package io.redstats.red.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.redstats.contract.event.Red;
import io.redstats.red.outbox.ImageRecord;
import java.math.BigDecimal;

/** What a client sees of one of its images: the measurement and where its delivery stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageView(
    @JsonProperty("image_id") long imageId,
    @JsonProperty("client_id") long clientId,
    @JsonProperty("timestamp") long timestampMs,
    @JsonProperty("red") BigDecimal red,
    @JsonProperty("format") String format,
    @JsonProperty("width") int width,
    @JsonProperty("height") int height,
    @JsonProperty("delivery_status") String deliveryStatus,
    @JsonProperty("attempts") int attempts,
    @JsonProperty("last_error") String lastError,
    @JsonProperty("delivered_at") Long deliveredAtMs) {

  static ImageView of(ImageRecord row) {
    return new ImageView(
        row.imageId(),
        row.clientId(),
        row.timestamp().toEpochMilli(),
        Red.toDecimal(row.redUnits()),
        row.format(),
        row.width(),
        row.height(),
        row.deliveryStatus().dbValue(),
        row.attempts(),
        row.lastError(),
        row.deliveredAt() == null ? null : row.deliveredAt().toEpochMilli());
  }
}
