-- Rollups over all clients together, for red-stats-api questions without a client_id (admin
-- tokens, visibility=all). The per-client hour tables of V2 hold up to clients x 101 rows per hour;
-- these hold at most 101 (bucket table) and the distinct red values of one bucket per hour (red
-- table), so a query over every client reads a small fraction of the rows. Same design and the
-- same exactness argument as V2: time coarsened to whole UTC hours of ts_ms, red kept in full.

CREATE TABLE IF NOT EXISTS events_all_by_hour_bucket (
  hour UInt32,
  bucket UInt16,
  images UInt64
) ENGINE = SummingMergeTree(images)
PARTITION BY intDiv(hour, 8760)
ORDER BY (hour, bucket);

CREATE TABLE IF NOT EXISTS events_all_by_hour_red (
  bucket UInt16,
  hour UInt32,
  red UInt32,
  images UInt64
) ENGINE = SummingMergeTree(images)
PARTITION BY intDiv(hour, 8760)
ORDER BY (bucket, hour, red);

-- Rows already in events (a database that ran V2 before this), guarded as in V2.
INSERT INTO events_all_by_hour_bucket
SELECT toUInt32(intDiv(ts_ms, 3600000)) AS hour, toUInt16(intDiv(red, 1000)) AS bucket,
  count() AS images
FROM events WHERE (SELECT count() FROM events_all_by_hour_bucket) = 0
GROUP BY hour, bucket;

INSERT INTO events_all_by_hour_red
SELECT toUInt16(intDiv(red, 1000)) AS bucket, toUInt32(intDiv(ts_ms, 3600000)) AS hour, red,
  count() AS images
FROM events WHERE (SELECT count() FROM events_all_by_hour_red) = 0
GROUP BY bucket, hour, red;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_all_by_hour_bucket_mv TO events_all_by_hour_bucket AS
SELECT toUInt32(intDiv(ts_ms, 3600000)) AS hour, toUInt16(intDiv(red, 1000)) AS bucket,
  count() AS images
FROM events
GROUP BY hour, bucket;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_all_by_hour_red_mv TO events_all_by_hour_red AS
SELECT toUInt16(intDiv(red, 1000)) AS bucket, toUInt32(intDiv(ts_ms, 3600000)) AS hour, red,
  count() AS images
FROM events
GROUP BY bucket, hour, red;
