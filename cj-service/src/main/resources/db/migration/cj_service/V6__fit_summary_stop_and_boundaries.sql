-- Why the batch stopped asking for comparisons (issue 7: a precision target, stable scores, the budget, the cap on
-- appearances, forced recovery), the judge's position effect and the fitted grade boundaries: what the results API
-- and the HTML report show beside the reliability. Nullable: batches finalized before this migration have none.
ALTER TABLE fit_summaries
    ADD COLUMN stop_reason      text,
    ADD COLUMN position_effect  jsonb,
    ADD COLUMN grade_boundaries jsonb;
