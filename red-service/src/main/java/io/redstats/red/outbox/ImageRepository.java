package io.redstats.red.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The images table, which is also the outbox: a row is the measurement and its delivery state.
 *
 * <p>Every statement here is a single autocommitted statement, so each state change is atomic
 * without an explicit transaction: an insert stores the result and its pending delivery at once.
 */
@Repository
public class ImageRepository {

  private static final String COLUMNS =
      "image_id, client_id, ts, red_units, format, width, height, content_sha256,"
          + " idempotency_key, delivery_status, attempts, last_error, delivered_at";

  /** last_error is for people reading it; a whole HTML error page would not help them. */
  private static final int MAX_ERROR_CHARS = 2000;

  private final JdbcClient jdbc;

  public ImageRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores a new image as pending, or returns empty when its idempotency key is already taken (a
   * concurrent request with the same key won the race).
   */
  public Optional<ImageRecord> insert(NewImage image) {
    return jdbc.sql(
            "INSERT INTO images (image_id, client_id, ts, red_units, format, width, height,"
                + " content_sha256, idempotency_key) VALUES (:id, :client, :ts, :red, :format,"
                + " :width, :height, :sha, :key) ON CONFLICT (client_id, idempotency_key) DO"
                + " NOTHING RETURNING "
                + COLUMNS)
        .param("id", image.imageId())
        .param("client", image.clientId())
        .param("ts", utc(image.timestamp()))
        .param("red", image.redUnits())
        .param("format", image.format())
        .param("width", image.width())
        .param("height", image.height())
        .param("sha", image.contentSha256())
        .param("key", image.idempotencyKey())
        .query(ImageRepository::map)
        .optional();
  }

  public Optional<ImageRecord> findById(long imageId) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM images WHERE image_id = :id")
        .param("id", imageId)
        .query(ImageRepository::map)
        .optional();
  }

  public Optional<ImageRecord> findByKey(long clientId, String idempotencyKey) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM images WHERE client_id = :client AND idempotency_key = :key")
        .param("client", clientId)
        .param("key", idempotencyKey)
        .query(ImageRepository::map)
        .optional();
  }

  /** The oldest pending images, in the order they were accepted. */
  public List<ImageRecord> pending(int limit) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM images WHERE delivery_status = 'pending' ORDER BY image_id LIMIT :limit")
        .param("limit", limit)
        .query(ImageRepository::map)
        .list();
  }

  public long countPending() {
    return jdbc.sql("SELECT count(*) FROM images WHERE delivery_status = 'pending'")
        .query(Long.class)
        .single();
  }

  public void markDelivered(List<Long> imageIds, Instant at) {
    jdbc.sql(
            "UPDATE images SET delivery_status = 'delivered', delivered_at = :at,"
                + " attempts = attempts + 1 WHERE image_id IN (:ids) AND delivery_status = 'pending'")
        .param("at", utc(at))
        .param("ids", imageIds)
        .update();
  }

  /** A final answer of ingest for a pending image: rejected or conflict, with its error. */
  public void markFinal(long imageId, DeliveryStatus status, String error) {
    jdbc.sql(
            "UPDATE images SET delivery_status = :status, attempts = attempts + 1,"
                + " last_error = :error WHERE image_id = :id AND delivery_status = 'pending'")
        .param("status", status.dbValue())
        .param("error", clip(error))
        .param("id", imageId)
        .update();
  }

  /**
   * Marks {@code conflict} the image with exactly this id and content, whatever its delivery said
   * (ingest answered 202 and later refused it as the loser of a conflict). True when it was RED's.
   */
  public boolean markConflictIfSame(
      long imageId, long clientId, Instant timestamp, int redUnits, String error) {
    return jdbc.sql(
                "UPDATE images SET delivery_status = 'conflict', last_error = :error WHERE"
                    + " image_id = :id AND client_id = :client AND ts = :ts AND red_units = :red"
                    + " AND delivery_status <> 'conflict'")
            .param("error", clip(error))
            .param("id", imageId)
            .param("client", clientId)
            .param("ts", utc(timestamp))
            .param("red", redUnits)
            .update()
        == 1;
  }

  /** Counts a failed attempt and keeps its error; the rows stay pending. */
  public void recordFailure(List<Long> imageIds, String error) {
    jdbc.sql(
            "UPDATE images SET attempts = attempts + 1, last_error = :error"
                + " WHERE image_id IN (:ids) AND delivery_status = 'pending'")
        .param("error", clip(error))
        .param("ids", imageIds)
        .update();
  }

  private static String clip(String error) {
    return error == null || error.length() <= MAX_ERROR_CHARS
        ? error
        : error.substring(0, MAX_ERROR_CHARS);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static ImageRecord map(ResultSet rs, int row) throws SQLException {
    return new ImageRecord(
        rs.getLong("image_id"),
        rs.getLong("client_id"),
        rs.getTimestamp("ts").toInstant(),
        rs.getInt("red_units"),
        rs.getString("format"),
        rs.getInt("width"),
        rs.getInt("height"),
        rs.getBytes("content_sha256"),
        rs.getString("idempotency_key"),
        DeliveryStatus.fromDb(rs.getString("delivery_status")),
        rs.getInt("attempts"),
        rs.getString("last_error"),
        instantOrNull(rs.getTimestamp("delivered_at")));
  }

  private static Instant instantOrNull(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
