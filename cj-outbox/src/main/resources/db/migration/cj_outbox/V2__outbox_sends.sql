-- cj-outbox schema, version 2: which rows may already be on the broker (docs/OUTBOX.md, "Possibly sent").
--
-- The relay writes a row here, in a transaction of its own that commits BEFORE it hands the record to the
-- producer, for every row it is about to send; the transaction that marks the row PUBLISHED deletes it. So a row
-- of this table whose outbox row is still PENDING (or DEAD) is a send whose outcome is unknown or failed: the relay
-- died, or its commit was lost, between the broker's acknowledgement and the PUBLISHED commit, or the attempt timed
-- out. Before sending such a row again the relay looks for its event_id on the destination partition.
--
-- No foreign key to outbox: inserting a referencing row takes FOR KEY SHARE on the outbox row, which the claiming
-- transaction (on another connection, waiting for this insert to return) holds FOR UPDATE: it would wait for itself.
-- Rows leave with their outbox row's PUBLISHED commit; the table holds only unpublished sends.

CREATE TABLE outbox_sends (
    outbox_id        bigint      PRIMARY KEY,                        -- outbox.id
    first_sent_at    timestamptz NOT NULL DEFAULT clock_timestamp(), -- database clock; the broker lookup seeks from it
    last_sent_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    sent_at_attempts integer     NOT NULL,                           -- outbox.attempts when last sent: still equal
                                                                     -- = that send's outcome was never recorded
    sends            integer     NOT NULL DEFAULT 1
);
