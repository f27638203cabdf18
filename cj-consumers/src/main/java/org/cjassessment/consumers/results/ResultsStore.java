package org.cjassessment.consumers.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cjassessment.consumers.Envelope;
import org.cjassessment.consumers.results.ResultStore.EssayResult;
import org.cjassessment.consumers.results.ResultStore.Job;
import org.cjassessment.inbox.InboxHandler;
import org.cjassessment.inbox.InboxRecord;
import org.cjassessment.inbox.PoisonRecordException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores {@code huleedu.assessment.result.published.v1} like the upstream Result Aggregator, but once: one completed
 * job (the "batch completed" fact RAS fans out) and one result per essay and job. A later event for the same job
 * with the same results (a logical duplicate) is skipped; with different results it is refused and reported in
 * {@code result_conflicts} and a WARN line — never merged, never last-writer-wins as upstream was. "Same results"
 * compares the {@code essay_results} array (canonical JSON); timestamps are left out on purpose, since a re-send
 * carries new ones. Anchor essays are not stored as student results.
 */
public final class ResultsStore implements InboxHandler {

  public static final String NAME = "results-store";
  private static final Logger LOG = LoggerFactory.getLogger(ResultsStore.class);

  private final ResultStore store;

  public ResultsStore(ResultStore store) {
    this.store = store;
  }

  @Override
  public void handle(Handle h, InboxRecord record) {
    Envelope e = Envelope.of(record);
    JsonNode essays = e.requireArray(e.data(), "essay_results", "data.essay_results");
    List<EssayResult> results = results(essays);
    JsonNode metadata = e.data().path("assessment_metadata");
    Job job = new Job(e.sourceService(), e.require("cj_assessment_job_id"), e.require("entity_id"), record.eventId(),
        Envelope.fingerprint(essays), results.size(),
        metadata.path("outcome").isTextual() ? metadata.get("outcome").asText() : null);
    if (store.complete(h, job)) {
      store.saveResults(h, job, results);
      return;
    }
    Job kept = store.job(h, job.sourceService(), job.jobId()).orElseThrow();
    if (kept.contentSha256().equals(job.contentSha256())) {
      LOG.info("{}: job {} already stored from event {}; event {} has the same results (logical duplicate)", NAME,
          job.jobId(), kept.eventId(), job.eventId());
      return;
    }
    store.conflict(h, kept, job);
    LOG.warn("{}: job {} already stored from event {}; event {} has DIFFERENT results - refused, recorded in "
        + "result_conflicts", NAME, job.jobId(), kept.eventId(), job.eventId());
  }

  private static List<EssayResult> results(JsonNode essays) {
    List<EssayResult> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < essays.size(); i++) {
      JsonNode r = essays.get(i);
      String path = "data.essay_results[" + i + "]";
      if (r.path("is_anchor").asBoolean(false)) {
        continue;
      }
      if (!r.path("essay_id").isTextual() || r.get("essay_id").asText().isBlank()) {
        throw new PoisonRecordException(path + ".essay_id is missing");
      }
      String essayId = r.get("essay_id").asText();
      if (!seen.add(essayId)) {
        throw new PoisonRecordException(path + ".essay_id repeats an earlier essay of the same event");
      }
      if (!r.path("rank").isIntegralNumber() || r.get("rank").asInt() < 1) {
        throw new PoisonRecordException(path + ".rank must be a whole number >= 1");
      }
      if (!r.path("bt_score").isNumber()) {
        throw new PoisonRecordException(path + ".bt_score must be a number");
      }
      out.add(new EssayResult(essayId, r.get("rank").asInt(), r.get("bt_score").asDouble(), number(r, "bt_se"),
          r.path("letter_grade").isTextual() ? r.get("letter_grade").asText() : null, number(r, "confidence_score"),
          number(r, "normalized_score")));
    }
    return out;
  }

  private static Double number(JsonNode r, String field) {
    return r.path(field).isNumber() ? r.get(field).asDouble() : null;
  }
}
