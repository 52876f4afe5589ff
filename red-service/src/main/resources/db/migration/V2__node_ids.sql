-- Image ids come from RED itself (io.redstats.red.ids): time | node | sequence, unique across RED
-- nodes, restarts and deployments, no longer from a sequence of this database. Rows stored before
-- keep their ids.
ALTER TABLE images ALTER COLUMN image_id DROP IDENTITY;

-- One row per node number ever leased. A RED node holds its number while it renews lease_until
-- (database clock); issued_until_ms is the highest millisecond (RED's clock) its ids may carry, so a
-- later holder of the number starts after it.
CREATE TABLE id_nodes (
  node_id         INTEGER     PRIMARY KEY CHECK (node_id BETWEEN 0 AND 1023),
  owner           UUID        NOT NULL,
  lease_until     TIMESTAMPTZ NOT NULL,
  issued_until_ms BIGINT      NOT NULL
);
