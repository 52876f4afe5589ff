-- The raw table: one row per image (the sink writes each canonical record once).
-- red is an integer count of 1/100000 so comparisons are exact; ts (seconds) drives partitioning
-- and the primary key for time-range scans, ts_ms keeps the exact millisecond for range edges.
-- kafka_partition/kafka_offset let the sink resume from what ClickHouse holds (exactly once).
CREATE TABLE IF NOT EXISTS events (
  image_id UInt64,
  client_id UInt64,
  ts DateTime,
  ts_ms UInt64,
  red UInt32,
  kafka_partition UInt32,
  kafka_offset UInt64,
  ingested_ms UInt64
) ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (ts, client_id, image_id);
