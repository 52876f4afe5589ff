-- One row per accepted image: its measurement and its delivery to RED_STATS (the outbox).
-- Inserting the row commits the result and the pending delivery together.
CREATE TABLE images (
  image_id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_id       BIGINT      NOT NULL CHECK (client_id > 0),
  ts              TIMESTAMPTZ NOT NULL,
  red_units       INTEGER     NOT NULL CHECK (red_units BETWEEN 0 AND 100000),
  format          TEXT        NOT NULL,
  width           INTEGER     NOT NULL,
  height          INTEGER     NOT NULL,
  content_sha256  BYTEA       NOT NULL,
  idempotency_key TEXT,
  delivery_status TEXT        NOT NULL DEFAULT 'pending'
                  CHECK (delivery_status IN ('pending', 'delivered', 'rejected')),
  attempts        INTEGER     NOT NULL DEFAULT 0,
  last_error      TEXT,
  delivered_at    TIMESTAMPTZ,
  -- keys are scoped to a client: two clients may pick the same key
  CONSTRAINT images_client_idempotency_key UNIQUE (client_id, idempotency_key)
);

-- The dispatcher reads pending rows in image_id order; delivered rows drop out of this index.
CREATE INDEX images_pending ON images (image_id) WHERE delivery_status = 'pending';
