-- What finalization measured about the fit as a whole, for the results API and the report (issue 7): SSR, the
-- split-half reliability beside it, and each student's 95 % rank interval among the students ({"essay-id": [lo, hi]}).
-- One row per completed batch; owner: FitSummaryStore.
CREATE TABLE fit_summaries (
    batch_id                      bigint           PRIMARY KEY REFERENCES batches (id) ON DELETE CASCADE,
    scale_separation_reliability  double precision NOT NULL,
    split_half_reliability        double precision,
    split_half_splits             integer          NOT NULL,
    split_half_by_judge           boolean          NOT NULL,
    rank_intervals                jsonb            NOT NULL
);
