-- Essay lifecycle (like ELS). History table: cj_lifecycle_schema_history.

-- Essay states move forward only: AWAITING_CJ -> CJ_SUCCESS | CJ_FAILED, both terminal (EssayState).
CREATE TABLE essay_states (
    batch_id   text        NOT NULL,  -- entity_id (the upstream batch)
    essay_id   text        NOT NULL,
    state      text        NOT NULL CHECK (state IN ('AWAITING_CJ', 'CJ_SUCCESS', 'CJ_FAILED')),
    event_id   text        NOT NULL,  -- the event that set the state
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, essay_id)
);

-- The batch's CJ phase outcome (ELS publishes ELSBatchPhaseOutcomeV1 from it): at most one per (batch, phase),
-- whatever the number of completions or failures delivered.
CREATE TABLE phase_outcomes (
    batch_id   text        NOT NULL,
    phase      text        NOT NULL,
    outcome    text        NOT NULL CHECK (outcome IN ('COMPLETED', 'FAILED')),
    job_id     text,
    event_id   text        NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, phase)
);
