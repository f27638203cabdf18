-- One row per (consumer, event id) that has taken effect. Inserted in the same transaction as the effect, so an
-- event redelivered after a crash either finds its row (effect committed) or not (effect rolled back).
CREATE TABLE processed_events (
    consumer     text        NOT NULL,
    event_id     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
