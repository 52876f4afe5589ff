-- conflict: ingest refused the image because another producer's image has its id (final).
ALTER TABLE images DROP CONSTRAINT images_delivery_status_check;
ALTER TABLE images ADD CONSTRAINT images_delivery_status_check
  CHECK (delivery_status IN ('pending', 'delivered', 'rejected', 'conflict'));

-- Where the conflict watcher stands in ingest's GET /conflicts (one row).
CREATE TABLE conflict_cursor (
  id         BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (id),
  position   TEXT        NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
