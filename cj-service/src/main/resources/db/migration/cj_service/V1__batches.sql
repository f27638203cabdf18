-- cj-assessment service schema. One state column per batch; the legal moves are data (batch_state_transitions)
-- and a trigger refuses any other, so no code path can leave a terminal state or skip one.

CREATE TABLE batch_state_transitions (
    from_state text NOT NULL,
    to_state   text NOT NULL,
    PRIMARY KEY (from_state, to_state)
);
INSERT INTO batch_state_transitions (from_state, to_state) VALUES
    ('RECEIVED', 'COMPARING'),
    ('RECEIVED', 'COMPLETED'),
    ('RECEIVED', 'FAILED'),
    ('COMPARING', 'COMPLETED'),
    ('COMPARING', 'FAILED');

CREATE TABLE batches (
    id                  bigserial   PRIMARY KEY,            -- cj_assessment_job_id
    upstream_batch_id   text        NOT NULL,               -- BOS batch id (request entity_id / HTTP batch_id)
    request_event_id    text        NOT NULL,               -- the request's event id ("http:<batch_id>" over HTTP)
    correlation_id      uuid        NOT NULL,               -- carried by every outbound event of the batch
    state               text        NOT NULL DEFAULT 'RECEIVED'
                        CHECK (state IN ('RECEIVED', 'COMPARING', 'COMPLETED', 'FAILED')),
    outcome             text        CHECK (outcome IN ('COMPLETE_STABLE', 'COMPLETE_BUDGET_EXHAUSTED',
                                                       'COMPLETE_FORCED_RECOVERY', 'COMPLETE_INSUFFICIENT_ESSAYS')),
    failure_reason      text,
    failure_detail      text,
    trigger_of_end      text,                                -- which trigger finished the batch (audit)
    grade_scale         text        NOT NULL,
    budget              integer     NOT NULL CHECK (budget >= 0),
    wave                integer     NOT NULL DEFAULT 0,
    submitted           integer     NOT NULL DEFAULT 0,
    judged              integer     NOT NULL DEFAULT 0,
    errored             integer     NOT NULL DEFAULT 0,
    duplicate_callbacks integer     NOT NULL DEFAULT 0,
    late_callbacks      integer     NOT NULL DEFAULT 0,
    redispatches        integer     NOT NULL DEFAULT 0,
    last_scores         jsonb,                               -- scores of the last wave's fit (stability check)
    last_score_change   double precision,
    user_id             text        NOT NULL,
    org_id              text,
    assignment_id       text,
    course_code         text,
    language            text,
    request             jsonb       NOT NULL,                -- the request without essay texts
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    last_activity_at    timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz,
    CONSTRAINT batches_request_once UNIQUE (upstream_batch_id, request_event_id),
    CONSTRAINT batches_outcome_iff_completed CHECK ((state = 'COMPLETED') = (outcome IS NOT NULL)),
    CONSTRAINT batches_reason_iff_failed CHECK ((state = 'FAILED') = (failure_reason IS NOT NULL)),
    CONSTRAINT batches_counts CHECK (judged >= 0 AND errored >= 0 AND judged + errored <= submitted)
);
CREATE INDEX batches_active ON batches (last_activity_at) WHERE state IN ('RECEIVED', 'COMPARING');

CREATE FUNCTION enforce_batch_transition() RETURNS trigger AS $$
BEGIN
    IF NEW.state IS DISTINCT FROM OLD.state AND NOT EXISTS (
        SELECT 1 FROM batch_state_transitions WHERE from_state = OLD.state AND to_state = NEW.state) THEN
        RAISE EXCEPTION 'illegal batch state transition % -> % for batch %', OLD.state, NEW.state, OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER batches_state_transition BEFORE UPDATE ON batches
    FOR EACH ROW EXECUTE FUNCTION enforce_batch_transition();

CREATE TABLE essays (
    batch_id      bigint  NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    essay_id      text    NOT NULL,
    is_anchor     boolean NOT NULL DEFAULT false,
    anchor_grade  text,
    text          text,                                   -- essay text (never logged)
    storage_id    text,                                   -- content-store reference it came from
    score         double precision,
    se            double precision,
    rank          integer,
    comparisons   integer NOT NULL DEFAULT 0,
    wins          integer NOT NULL DEFAULT 0,
    infit         double precision,
    outfit        double precision,
    PRIMARY KEY (batch_id, essay_id),
    CONSTRAINT essays_anchor_has_grade CHECK (is_anchor = (anchor_grade IS NOT NULL))
);

CREATE TABLE comparisons (
    id                bigserial   PRIMARY KEY,
    batch_id          bigint      NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    correlation_id    uuid        NOT NULL UNIQUE,         -- per comparison; the callback's lookup key
    wave              integer     NOT NULL,
    essay_a           text        NOT NULL,                -- shown first
    essay_b           text        NOT NULL,
    status            text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'JUDGED', 'ERROR')),
    winner            text,
    confidence        double precision,
    justification     text,
    error_code        text,
    error_message     text,
    provider          text,
    model             text,
    prompt_tokens     integer,
    completion_tokens integer,
    total_tokens      integer,
    cost_estimate     double precision,
    response_time_ms  integer,
    dispatches        integer     NOT NULL DEFAULT 1,
    duplicates        integer     NOT NULL DEFAULT 0,
    requested_at      timestamptz NOT NULL DEFAULT now(),
    answered_at       timestamptz,
    FOREIGN KEY (batch_id, essay_a) REFERENCES essays (batch_id, essay_id),
    FOREIGN KEY (batch_id, essay_b) REFERENCES essays (batch_id, essay_id),
    CONSTRAINT comparisons_distinct_essays CHECK (essay_a <> essay_b),
    CONSTRAINT comparisons_winner CHECK ((status = 'JUDGED') = (winner IS NOT NULL)
                                         AND (winner IS NULL OR winner = essay_a OR winner = essay_b))
);
CREATE INDEX comparisons_batch ON comparisons (batch_id, status);

-- Callbacks that arrived after their batch was terminal: kept for audit, never acted on.
CREATE TABLE late_callbacks (
    id             bigserial   PRIMARY KEY,
    batch_id       bigint      NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    correlation_id uuid        NOT NULL,
    event_id       text,
    outcome        text,                                  -- winner essay id or error code
    received_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE grade_projections (
    batch_id         bigint           NOT NULL,
    essay_id         text             NOT NULL,
    grade_scale      text             NOT NULL,
    grade            text             NOT NULL,
    confidence       double precision NOT NULL,
    confidence_label text             NOT NULL,
    probabilities    jsonb            NOT NULL,
    PRIMARY KEY (batch_id, essay_id),
    FOREIGN KEY (batch_id, essay_id) REFERENCES essays (batch_id, essay_id) ON DELETE CASCADE
);
