package org.cjassessment.service.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The stable log event of a finalization: exactly one INFO line per batch that reached a terminal state, written
 * after the transaction committed (a rolled-back finalization logs nothing). Its fields are MDC entries, so the JSON
 * appender ({@code CJ_LOG_APPENDER=JSON}) emits them as top-level fields that {@code cj audit logs} counts:
 *
 * <pre>{"message":"batch finalized ...","log_event":"batch.finalized","batch_id":"bos-42","cj_batch_id":"7",
 *  "job_id":"7","final_state":"COMPLETED","outcome":"COMPLETE_STABLE","trigger":"WAVE_COMPLETE",...}</pre>
 *
 * Field names and values are part of the operator contract (README, "Log events"): change them only with the audit.
 */
public final class FinalizationLog {

  /** The logger name, stable so an operator can route or filter these lines. */
  public static final String LOGGER = "cj.events.batch_finalized";
  public static final String LOG_EVENT = "log_event";
  public static final String BATCH_FINALIZED = "batch.finalized";
  public static final String BATCH_ID = "batch_id";
  public static final String CJ_BATCH_ID = "cj_batch_id";
  public static final String JOB_ID = "job_id";
  public static final String FINAL_STATE = "final_state";
  public static final String OUTCOME = "outcome";
  public static final String TRIGGER = "trigger";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private FinalizationLog() {}

  /** @param outcome the completion outcome or the failure reason */
  static void finalized(BatchRow batch, String finalState, String outcome, String trigger) {
    try (MDC.MDCCloseable a = MDC.putCloseable(LOG_EVENT, BATCH_FINALIZED);
        MDC.MDCCloseable b = MDC.putCloseable(BATCH_ID, batch.upstreamBatchId());
        MDC.MDCCloseable c = MDC.putCloseable(CJ_BATCH_ID, Long.toString(batch.id()));
        MDC.MDCCloseable d = MDC.putCloseable(JOB_ID, batch.jobId());
        MDC.MDCCloseable e = MDC.putCloseable(FINAL_STATE, finalState);
        MDC.MDCCloseable f = MDC.putCloseable(OUTCOME, outcome);
        MDC.MDCCloseable g = MDC.putCloseable(TRIGGER, trigger)) {
      LOG.info("batch finalized: batch_id={} cj_batch_id={} final_state={} outcome={} trigger={}",
          batch.upstreamBatchId(), batch.id(), finalState, outcome, trigger);
    }
  }
}
