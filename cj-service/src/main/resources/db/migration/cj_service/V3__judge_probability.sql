-- The judge's probability that essay_a (the essay shown first, "Essay A") is the better one, when the judge
-- reported it (an OpenAI-compatible judge with logprobs, the simulated judge); NULL otherwise and for errors.
-- Soft outcomes in the Bradley-Terry fit use it instead of the hard winner.
ALTER TABLE comparisons ADD COLUMN judge_probability_a double precision
    CHECK (judge_probability_a >= 0 AND judge_probability_a <= 1);
