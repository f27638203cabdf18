-- Credits ledger (like Entitlements). History table: cj_credits_schema_history.

-- What a subject (an organisation or a user) can still spend. Never negative: the debit is one conditional UPDATE
-- (balance >= cost) and this CHECK stops any other path.
CREATE TABLE credit_balances (
    subject_type text        NOT NULL CHECK (subject_type IN ('org', 'user')),
    subject_id   text        NOT NULL,
    balance      bigint      NOT NULL CHECK (balance >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject_type, subject_id)
);

-- One row per charge. The business key (source service, assessment job, metric) is UNIQUE: a logical duplicate -
-- the same consumption under a new event id (upstream relays minted one per publish) - cannot charge twice.
CREATE TABLE credit_operations (
    id                   bigserial   PRIMARY KEY,
    source_service       text        NOT NULL,
    processing_id        text        NOT NULL,  -- the assessment job (cj_assessment_job_id)
    metric               text        NOT NULL,  -- resource_type, e.g. cj_comparison
    event_id             text        NOT NULL,  -- the event that charged
    batch_id             text,                  -- entity_id
    user_id              text        NOT NULL,
    org_id               text,
    quantity             bigint      NOT NULL CHECK (quantity >= 0),
    cost                 bigint      NOT NULL CHECK (cost >= 0),
    outcome              text        NOT NULL CHECK (outcome IN ('CHARGED', 'INSUFFICIENT_CREDITS')),
    charged_subject_type text        CHECK (charged_subject_type IN ('org', 'user')),
    charged_subject_id   text,
    balance_after        bigint,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT credit_operations_business_key UNIQUE (source_service, processing_id, metric),
    CONSTRAINT credit_operations_charged_check CHECK ((outcome = 'CHARGED') = (charged_subject_id IS NOT NULL))
);
