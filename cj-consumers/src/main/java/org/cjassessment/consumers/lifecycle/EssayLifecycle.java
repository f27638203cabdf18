package org.cjassessment.consumers.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.cjassessment.consumers.ConsumerTopics;
import org.cjassessment.consumers.Envelope;
import org.cjassessment.inbox.InboxHandler;
import org.cjassessment.inbox.InboxRecord;
import org.cjassessment.inbox.PoisonRecordException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks essays through the CJ phase like the upstream Essay Lifecycle Service: a request registers the batch's
 * essays as AWAITING_CJ; a completion moves the successful ones to CJ_SUCCESS and the failed ones to CJ_FAILED; a
 * failure (which upstream ELS never consumed, so failed batches hung) moves every waiting essay to CJ_FAILED. The
 * first completion or failure decides the batch's phase outcome once; any later one — a repeat, a logical duplicate
 * with a new id, a failure after a completion — is ignored with one log line, and an essay never moves backwards.
 */
public final class EssayLifecycle implements InboxHandler {

  public static final String NAME = "essay-lifecycle";
  private static final Logger LOG = LoggerFactory.getLogger(EssayLifecycle.class);

  private final LifecycleStore store;
  private final ConsumerTopics topics;

  public EssayLifecycle(LifecycleStore store, ConsumerTopics topics) {
    this.store = store;
    this.topics = topics;
  }

  public List<String> subscriptions() {
    return List.of(topics.requests(), topics.completed(), topics.failed());
  }

  @Override
  public void handle(Handle h, InboxRecord record) {
    Envelope e = Envelope.of(record);
    String batch = e.require("entity_id");
    // The three topics are not ordered with each other (a failure can overtake its request), and two instances may
    // handle one batch's events at once: one batch's events are applied one after the other.
    store.lockBatch(h, batch);
    if (record.topic().equals(topics.requests())) {
      // Only ids are read from a request: it also carries essay text, which must never reach a log or a table here.
      List<String> ids = ids(e.requireArray(e.data(), "essays_for_cj", "data.essays_for_cj"), "essay_id",
          "data.essays_for_cj");
      // A request that arrives after its batch failed registers its essays as failed (nothing else will come).
      boolean failed = store.outcome(h, batch).filter("FAILED"::equals).isPresent();
      store.move(h, batch, ids, failed ? EssayState.CJ_FAILED : EssayState.AWAITING_CJ, record.eventId());
    } else if (record.topic().equals(topics.completed())) {
      JsonNode summary = e.data().path("processing_summary");
      if (!summary.isObject()) {
        throw new PoisonRecordException("data.processing_summary must be an object");
      }
      if (!decide(h, batch, "COMPLETED", e, record)) {
        return;
      }
      store.move(h, batch, texts(e.requireArray(summary, "successful_essay_ids",
          "data.processing_summary.successful_essay_ids"), "successful_essay_ids"), EssayState.CJ_SUCCESS,
          record.eventId());
      store.move(h, batch, texts(e.requireArray(summary, "failed_essay_ids",
          "data.processing_summary.failed_essay_ids"), "failed_essay_ids"), EssayState.CJ_FAILED, record.eventId());
    } else if (record.topic().equals(topics.failed())) {
      if (decide(h, batch, "FAILED", e, record)) {
        store.moveAwaiting(h, batch, EssayState.CJ_FAILED, record.eventId());
      }
    } else {
      throw new PoisonRecordException("topic " + record.topic() + " is not one the essay lifecycle reads");
    }
  }

  private boolean decide(Handle h, String batch, String outcome, Envelope e, InboxRecord record) {
    if (store.decide(h, batch, outcome, e.optional("cj_assessment_job_id"), record.eventId())) {
      return true;
    }
    LOG.info("{}: batch {} already has its CJ outcome ({}); {} event {} ignored", NAME, batch,
        store.outcome(h, batch).orElse("?"), outcome.toLowerCase(), record.eventId());
    return false;
  }

  private static List<String> ids(JsonNode array, String field, String path) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode id = array.get(i).path(field);
      if (!id.isTextual() || id.asText().isBlank()) {
        throw new PoisonRecordException(path + "[" + i + "]." + field + " is missing");
      }
      out.add(id.asText());
    }
    return out;
  }

  private static List<String> texts(JsonNode array, String path) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!array.get(i).isTextual()) {
        throw new PoisonRecordException(path + "[" + i + "] must be a string");
      }
      out.add(array.get(i).asText());
    }
    return out;
  }
}
