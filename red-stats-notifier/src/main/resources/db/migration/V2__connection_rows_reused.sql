-- One row per connection identity instead of one per connection: a client that reconnects with the
-- key of its earlier stream updates that row; inactive rows are deleted after a retention.

ALTER TABLE client_connections ADD COLUMN connection_key uuid; -- null on rows written before keys
ALTER TABLE client_connections ADD COLUMN reconnects integer NOT NULL DEFAULT 0;

-- Unique, not partial: ON CONFLICT (connection_key) infers it. NULLs never conflict.
CREATE UNIQUE INDEX client_connections_by_key ON client_connections (connection_key);

-- The retention's DELETE reads only inactive rows, oldest first.
CREATE INDEX client_connections_inactive_since ON client_connections (disconnected_at)
    WHERE NOT active;
