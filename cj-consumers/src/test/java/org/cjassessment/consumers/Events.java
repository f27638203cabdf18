package org.cjassessment.consumers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Envelopes shaped like the golden events (cj-service/src/test/resources/golden), with the fields varied. */
final class Events {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Events() {}

  private static ObjectNode envelope(String eventId, String eventType, ObjectNode data) {
    ObjectNode e = JSON.createObjectNode();
    e.put("event_id", eventId);
    e.put("event_type", eventType);
    e.put("event_timestamp", "2026-03-02T09:04:00Z");
    e.put("source_service", "cj_assessment_service");
    e.put("schema_version", 1);
    e.put("correlation_id", "corr-" + eventId);
    e.putNull("data_schema_uri");
    e.set("data", data);
    e.set("metadata", JSON.createObjectNode());
    return e;
  }

  static String consumption(String eventId, String job, String user, String org, long quantity) {
    ObjectNode d = JSON.createObjectNode();
    d.put("event_name", "resource.consumption.reported");
    d.put("entity_id", "bos-" + job);
    d.put("entity_type", "batch");
    d.put("user_id", user);
    if (org == null) {
      d.putNull("org_id");
    } else {
      d.put("org_id", org);
    }
    d.put("resource_type", "cj_comparison");
    d.put("quantity", quantity);
    d.put("service_name", "cj_assessment_service");
    d.put("processing_id", job);
    d.put("consumed_at", "2026-03-02T09:04:00Z");
    return envelope(eventId, "huleedu.resource.consumption.v1", d).toString();
  }

  /** A result whose essays are ranked in the given order, with scores descending from {@code topScore}. */
  static String result(String eventId, String job, String batch, List<String> essays, double topScore) {
    ObjectNode d = JSON.createObjectNode();
    d.put("event_name", "assessment.result.published");
    d.put("entity_id", batch);
    d.put("batch_id", batch);
    d.put("cj_assessment_job_id", job);
    d.put("assessed_at", "2026-03-02T09:04:00Z");
    ArrayNode results = d.putArray("essay_results");
    for (int i = 0; i < essays.size(); i++) {
      ObjectNode r = results.addObject();
      r.put("essay_id", essays.get(i));
      r.put("letter_grade", i == 0 ? "A" : "C");
      r.put("normalized_score", i == 0 ? 1.0 : 0.6);
      r.put("confidence_score", 0.4);
      r.put("bt_score", topScore - i);
      r.put("bt_se", 0.5);
      r.put("rank", i + 1);
      r.put("is_anchor", false);
    }
    d.putObject("assessment_metadata").put("outcome", "COMPLETE_STABLE");
    return envelope(eventId, "huleedu.assessment.result.published.v1", d).toString();
  }

  static String request(String eventId, String batch, List<String> essays) {
    ObjectNode d = JSON.createObjectNode();
    d.put("event_name", "els.cj_assessment.requested");
    d.put("entity_id", batch);
    ArrayNode list = d.putArray("essays_for_cj");
    for (String id : essays) {
      list.addObject().put("essay_id", id).putNull("text_storage_id").put("text", "a student's essay text");
    }
    return envelope(eventId, "huleedu.els.cj_assessment.requested.v1", d).toString();
  }

  static String completed(String eventId, String batch, String job, List<String> successful, List<String> failed) {
    ObjectNode d = JSON.createObjectNode();
    d.put("event_name", "cj_assessment.completed");
    d.put("entity_id", batch);
    d.put("status", "completed_successfully");
    d.put("cj_assessment_job_id", job);
    ObjectNode s = d.putObject("processing_summary");
    s.put("total_essays", successful.size() + failed.size());
    successful.forEach(s.putArray("successful_essay_ids")::add);
    failed.forEach(s.putArray("failed_essay_ids")::add);
    if (failed.isEmpty()) {
      s.putArray("failed_essay_ids");
    }
    if (successful.isEmpty()) {
      s.putArray("successful_essay_ids");
    }
    return envelope(eventId, "huleedu.cj_assessment.completed.v1", d).toString();
  }

  static String failed(String eventId, String batch, String job) {
    ObjectNode d = JSON.createObjectNode();
    d.put("event_name", "cj_assessment.failed");
    d.put("entity_id", batch);
    d.put("status", "failed_critically");
    d.put("cj_assessment_job_id", job);
    return envelope(eventId, "huleedu.cj_assessment.failed.v1", d).toString();
  }
}
