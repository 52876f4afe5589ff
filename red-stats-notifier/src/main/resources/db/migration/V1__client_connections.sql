-- Notifier nodes and the connections they hold. Matching never reads these tables (the index is in
-- memory); they record who is subscribed where, for operators and for reaping dead nodes' rows.

CREATE TABLE notifier_nodes (
    node_id      text        PRIMARY KEY,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE client_connections (
    id              bigserial    PRIMARY KEY,
    client_id       bigint,                       -- null for admin tokens, which act for no client
    sees_client_id  bigint,                       -- whose images it is alerted about; null = all
    min_red         numeric(6,5) NOT NULL CHECK (min_red >= 0 AND min_red <= 1),
    active          boolean      NOT NULL,
    resumed         boolean      NOT NULL DEFAULT false, -- opened with a resume token
    node_id         text         NOT NULL,
    connected_at    timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now(),
    disconnected_at timestamptz
);

CREATE INDEX client_connections_active_by_node ON client_connections (node_id) WHERE active;
CREATE INDEX client_connections_by_client ON client_connections (client_id);
