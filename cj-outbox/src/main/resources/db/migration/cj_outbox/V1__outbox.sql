-- cj-outbox schema, version 1. Applied by OutboxSchema.migrate with its own history table
-- (cj_outbox_schema_history), so it composes with the host service's own Flyway migrations.
--
-- The table is the buffer: a row is written in the caller's business transaction and stays PENDING until the
-- broker acknowledged it. Nothing is ever held in memory instead.

CREATE TABLE outbox (
    id              bigserial   PRIMARY KEY,              -- publication order (and per-key order)
    event_id        uuid        NOT NULL,                 -- deterministic id supplied by the caller
    aggregate_type  text        NOT NULL,
    aggregate_id    text        NOT NULL,
    event_type      text        NOT NULL,
    topic           text        NOT NULL,
    message_key     text        NOT NULL,                 -- Kafka record key; rows with the same (topic, key) publish in id order
    correlation_id  text        NOT NULL,
    payload         bytea       NOT NULL,                 -- the envelope bytes, published verbatim, never logged
    headers         jsonb       NOT NULL DEFAULT '{}',    -- source_service, schema_version, content_type (+ extras)
    status          text        NOT NULL DEFAULT 'PENDING',
    attempts        integer     NOT NULL DEFAULT 0,       -- failed publish attempts
    next_attempt_at timestamptz,                          -- NULL = due now; set by the relay's backoff after a failure
    last_attempt_at timestamptz,
    last_error      text,                                 -- one line, no payload
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at    timestamptz,

    -- FULL, not partial: a second append of the same event is a no-op forever, even after the first was
    -- published (the upstream partial index only deduplicated while a row was queued).
    CONSTRAINT outbox_event_id_key UNIQUE (event_id),
    CONSTRAINT outbox_status_check CHECK (status IN ('PENDING', 'PUBLISHED', 'DEAD')),
    CONSTRAINT outbox_attempts_check CHECK (attempts >= 0),
    CONSTRAINT outbox_published_at_check CHECK ((status = 'PUBLISHED') = (published_at IS NOT NULL))
);

-- The relay's claim: PENDING rows in id order. Partial, so it only ever holds the (small) unpublished backlog.
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE status = 'PENDING';

-- The per-key order check: "is there an older PENDING row with this topic and key?"
CREATE INDEX outbox_pending_key_idx ON outbox (topic, message_key, id) WHERE status = 'PENDING';

-- Retention: published rows by age.
CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE status = 'PUBLISHED';

-- Operator listing of dead rows.
CREATE INDEX outbox_dead_idx ON outbox (id) WHERE status = 'DEAD';

-- Duplicate audit (events per aggregate per event type, SPEC §4.6).
CREATE INDEX outbox_event_type_aggregate_idx ON outbox (event_type, aggregate_id);
