-- A provider error is not a judgement: an errored answer leaves its comparison PENDING and schedules the pair to be
-- asked again (error_retries counts the errors so far, retry_after is when the request may be re-sent); only a pair
-- that keeps failing after the allowed retries becomes ERROR and counts against the batch's success rate.
ALTER TABLE comparisons
    ADD COLUMN error_retries integer NOT NULL DEFAULT 0 CHECK (error_retries >= 0),
    ADD COLUMN retry_after   timestamptz;

CREATE INDEX comparisons_retry_due ON comparisons (retry_after) WHERE retry_after IS NOT NULL;

-- Late callbacks are kept for audit for a retention period (CJ_AUDIT_RETENTION_HOURS), then purged by age.
CREATE INDEX late_callbacks_received_at ON late_callbacks (received_at);
