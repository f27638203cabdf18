package org.cjassessment.consumers.results;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Owns {@code completed_jobs}, {@code essay_results} and {@code result_conflicts}; the caller's handle. */
public final class ResultStore {

  public record Job(String sourceService, String jobId, String batchId, String eventId, String contentSha256,
      int essays, String outcome) {}

  public record EssayResult(String essayId, int rank, double btScore, Double btSe, String letterGrade,
      Double confidenceScore, Double normalizedScore) {}

  public record Conflict(String jobId, String eventId, String keptEventId, String keptSha256, String refusedSha256) {}

  /** Records the job's completion; false when the job already has one (the primary key decides, also under races). */
  public boolean complete(Handle h, Job job) {
    return h.createUpdate("""
            INSERT INTO completed_jobs (source_service, job_id, batch_id, event_id, content_sha256, essays, outcome)
            VALUES (:sourceService, :jobId, :batchId, :eventId, :contentSha256, :essays, :outcome)
            ON CONFLICT (source_service, job_id) DO NOTHING
            """)
        .bindMethods(job)
        .execute() == 1;
  }

  public void saveResults(Handle h, Job job, List<EssayResult> results) {
    PreparedBatch batch = h.prepareBatch("""
        INSERT INTO essay_results (source_service, job_id, essay_id, rank, bt_score, bt_se, letter_grade,
                                   confidence_score, normalized_score)
        VALUES (:sourceService, :jobId, :essayId, :rank, :btScore, :btSe, :letterGrade, :confidenceScore,
                :normalizedScore)
        """);
    for (EssayResult r : results) {
      batch.bind("sourceService", job.sourceService()).bind("jobId", job.jobId()).bindMethods(r).add();
    }
    if (!results.isEmpty()) {
      batch.execute();
    }
  }

  public Optional<Job> job(Handle h, String sourceService, String jobId) {
    return h.createQuery("""
            SELECT source_service, job_id, batch_id, event_id, content_sha256, essays, outcome
            FROM completed_jobs WHERE source_service = :s AND job_id = :j
            """)
        .bind("s", sourceService)
        .bind("j", jobId)
        .map((rs, ctx) -> new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getInt(6), rs.getString(7)))
        .findOne();
  }

  public void conflict(Handle h, Job kept, Job refused) {
    h.createUpdate("""
            INSERT INTO result_conflicts (source_service, job_id, event_id, kept_event_id, kept_sha256, refused_sha256)
            VALUES (:s, :j, :e, :ke, :ks, :rs)
            """)
        .bind("s", refused.sourceService())
        .bind("j", refused.jobId())
        .bind("e", refused.eventId())
        .bind("ke", kept.eventId())
        .bind("ks", kept.contentSha256())
        .bind("rs", refused.contentSha256())
        .execute();
  }

  public List<Conflict> conflicts(Handle h) {
    return h.createQuery("""
            SELECT job_id, event_id, kept_event_id, kept_sha256, refused_sha256 FROM result_conflicts ORDER BY id
            """)
        .map((rs, ctx) -> new Conflict(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5)))
        .list();
  }
}
