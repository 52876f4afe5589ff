-- Exact rollups for red-stats-api (GET /stats, /stats/series), maintained by materialized views.
--
-- red keeps its full 1/100000 resolution in every rollup, so "how many with red > X" is answered
-- exactly for any X; only time is coarsened, and only to whole UTC minutes/hours of ts_ms (integer
-- arithmetic, no time zone can shift a boundary). Three tables:
--   events_by_minute       (minute, client_id, red)          -> images   whole minutes at range edges
--   events_by_hour_bucket  (hour, client_id, bucket)         -> images   whole hours, red in 0.01 buckets
--   events_by_hour_red     (bucket, hour, client_id, red)    -> images   the one bucket a threshold cuts
-- A threshold X falls in bucket b = X div 1000: rows of buckets > b are all above X (coarse table),
-- rows of bucket b are compared red by red (fine table, its key starts with bucket so only that
-- bucket is read), rows of buckets < b are all at or below X.
-- SummingMergeTree adds images up when parts merge; readers always sum(), so unmerged parts are fine.
-- The views see every block inserted into events after they exist, whatever its timestamps (late
-- events included); exactly-once of the raw table is the sink's job, the views count what it inserts.

CREATE TABLE IF NOT EXISTS events_by_minute (
  minute UInt32,
  client_id UInt64,
  red UInt32,
  images UInt64
) ENGINE = SummingMergeTree(images)
PARTITION BY intDiv(minute, 43200)
ORDER BY (minute, client_id, red);

CREATE TABLE IF NOT EXISTS events_by_hour_bucket (
  hour UInt32,
  client_id UInt64,
  bucket UInt16,
  images UInt64
) ENGINE = SummingMergeTree(images)
PARTITION BY intDiv(hour, 8760)
ORDER BY (hour, client_id, bucket);

CREATE TABLE IF NOT EXISTS events_by_hour_red (
  bucket UInt16,
  hour UInt32,
  client_id UInt64,
  red UInt32,
  images UInt64
) ENGINE = SummingMergeTree(images)
PARTITION BY intDiv(hour, 8760)
ORDER BY (bucket, hour, client_id, red);

-- Rows already in events when this migration first runs (none on a new deployment). Guarded on an
-- empty rollup so a re-run after a crash cannot count them twice. Ingest migrates before its sink
-- starts, so no insert races these statements and the views created next.
INSERT INTO events_by_minute
SELECT toUInt32(intDiv(ts_ms, 60000)) AS minute, client_id, red, count() AS images
FROM events WHERE (SELECT count() FROM events_by_minute) = 0
GROUP BY minute, client_id, red;

INSERT INTO events_by_hour_bucket
SELECT toUInt32(intDiv(ts_ms, 3600000)) AS hour, client_id, toUInt16(intDiv(red, 1000)) AS bucket,
  count() AS images
FROM events WHERE (SELECT count() FROM events_by_hour_bucket) = 0
GROUP BY hour, client_id, bucket;

INSERT INTO events_by_hour_red
SELECT toUInt16(intDiv(red, 1000)) AS bucket, toUInt32(intDiv(ts_ms, 3600000)) AS hour, client_id,
  red, count() AS images
FROM events WHERE (SELECT count() FROM events_by_hour_red) = 0
GROUP BY bucket, hour, client_id, red;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_by_minute_mv TO events_by_minute AS
SELECT toUInt32(intDiv(ts_ms, 60000)) AS minute, client_id, red, count() AS images
FROM events
GROUP BY minute, client_id, red;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_by_hour_bucket_mv TO events_by_hour_bucket AS
SELECT toUInt32(intDiv(ts_ms, 3600000)) AS hour, client_id, toUInt16(intDiv(red, 1000)) AS bucket,
  count() AS images
FROM events
GROUP BY hour, client_id, bucket;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_by_hour_red_mv TO events_by_hour_red AS
SELECT toUInt16(intDiv(red, 1000)) AS bucket, toUInt32(intDiv(ts_ms, 3600000)) AS hour, client_id,
  red, count() AS images
FROM events
GROUP BY bucket, hour, client_id, red;
