package org.cjassessment.app.runtime;

import java.time.Duration;
import org.cjassessment.service.batch.AnswerRetries;

/**
 * How the service rides out faults and keeps its bookkeeping tables small (README, "Faults and retention").
 *
 * @param answerRetries how often a pair whose answer was a provider error is asked again
 *     ({@code CJ_ANSWER_RETRIES}, {@code CJ_ANSWER_RETRY_BACKOFF_SECONDS})
 * @param auditRetention processed-event and late-callback rows older than this are deleted
 *     ({@code CJ_AUDIT_RETENTION_HOURS})
 */
public record FaultSettings(AnswerRetries answerRetries, Duration auditRetention) {

  public static FaultSettings defaults() {
    return new FaultSettings(AnswerRetries.defaults(), Duration.ofDays(14));
  }
}
