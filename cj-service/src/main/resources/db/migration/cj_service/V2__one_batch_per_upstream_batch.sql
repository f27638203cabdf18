-- One batch per upstream batch id and client, whatever the request's event id (the upstream relay re-publishes a
-- request with a new event id; V1's UNIQUE (upstream_batch_id, request_event_id) made each copy a new batch with
-- its own completion and bill). HTTP batch ids are scoped to the authenticated client; Kafka requests belong to
-- the client 'platform'. Job ids shown over HTTP are random UUIDs (public_id), not the sequential key.

ALTER TABLE batches ADD COLUMN client_id text;
ALTER TABLE batches ADD COLUMN public_id uuid;
-- SHA-256 of the normalized request content (RequestFingerprint): a second request for the same batch id must
-- carry the same content, or it is refused. NULL for batches created before this migration (nothing to compare).
ALTER TABLE batches ADD COLUMN request_fingerprint text;

-- Existing rows: the first batch of an upstream id stays the platform's; the copies V1 let in are kept for audit
-- under a client of their own that no API key can have (a client id never contains ':').
UPDATE batches b SET client_id = CASE
        WHEN b.id = (SELECT min(o.id) FROM batches o WHERE o.upstream_batch_id = b.upstream_batch_id) THEN 'platform'
        ELSE 'legacy-duplicate:' || b.id END,
    public_id = gen_random_uuid();

ALTER TABLE batches ALTER COLUMN client_id SET NOT NULL;
ALTER TABLE batches ALTER COLUMN public_id SET NOT NULL;
ALTER TABLE batches ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
ALTER TABLE batches ADD CONSTRAINT batches_public_id UNIQUE (public_id);
ALTER TABLE batches DROP CONSTRAINT batches_request_once;
ALTER TABLE batches ADD CONSTRAINT batches_one_per_upstream_batch UNIQUE (client_id, upstream_batch_id);
