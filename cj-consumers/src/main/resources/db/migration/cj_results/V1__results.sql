-- Results store (like RAS). History table: cj_results_schema_history.

-- One row per assessment job: the "batch completed" fact, recorded once. content_sha256 fingerprints the results
-- (essay_results, canonical JSON) so that a later event for the job with different results is recognised and refused.
CREATE TABLE completed_jobs (
    source_service text        NOT NULL,
    job_id         text        NOT NULL,  -- cj_assessment_job_id
    batch_id       text        NOT NULL,  -- entity_id
    event_id       text        NOT NULL,
    content_sha256 text        NOT NULL,
    essays         integer     NOT NULL CHECK (essays >= 0),
    outcome        text,                  -- assessment_metadata.outcome
    completed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_service, job_id)
);

-- One result per essay and job.
CREATE TABLE essay_results (
    source_service   text             NOT NULL,
    job_id           text             NOT NULL,
    essay_id         text             NOT NULL,
    rank             integer          NOT NULL CHECK (rank >= 1),
    bt_score         double precision NOT NULL,
    bt_se            double precision,
    letter_grade     text,
    confidence_score double precision,
    normalized_score double precision,
    PRIMARY KEY (source_service, job_id, essay_id),
    FOREIGN KEY (source_service, job_id) REFERENCES completed_jobs (source_service, job_id)
);

-- Events refused because the job already has different results: reported here (and in a WARN line), never merged.
CREATE TABLE result_conflicts (
    id                bigserial   PRIMARY KEY,
    source_service    text        NOT NULL,
    job_id            text        NOT NULL,
    event_id          text        NOT NULL,
    kept_event_id     text        NOT NULL,
    kept_sha256       text        NOT NULL,
    refused_sha256    text        NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now()
);
