package org.cjassessment.service.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.Json;
import org.cjassessment.service.JsonErrors;
import org.cjassessment.service.auth.Client;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.batch.EssayInput;
import org.cjassessment.service.batch.InvalidRequestException;

/**
 * {@code POST /api/v1/batches} body → {@link BatchRequest}. With an API key the billing identity (user, org) is the
 * key's, whatever the body says; without authentication it is the body's {@code user_id}/{@code org_id}. Requests
 * are idempotent by {@code batch_id} within the client (see {@code BatchIntake}).
 */
final class BatchRequestJson {

  private BatchRequestJson() {}

  /** @param client the caller's API key client; empty when authentication is off */
  static BatchRequest parse(byte[] body, Optional<Client> client) {
    JsonNode root;
    try {
      // A key given twice would otherwise be read as its last value, silently: refused like any malformed body.
      root = Json.mapper().reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(body);
    } catch (java.io.IOException e) {
      throw new InvalidRequestException("body is " + JsonErrors.describe(e));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRequestException("body must be a JSON object with batch_id and essays");
    }
    String batchId = text(root, "batch_id", true);
    List<EssayInput> essays = new ArrayList<>();
    JsonNode list = root.get("essays");
    if (list == null || !list.isArray()) {
      throw new InvalidRequestException("essays must be an array of {essay_id, text}");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode e = element(list, "essays", i, "{essay_id, text}");
      String where = "essays[" + i + "]: ";
      essays.add(EssayInput.student(text(e, "essay_id", true, where), text(e, "text", true, where)));
    }
    JsonNode anchors = root.get("anchors");
    if (anchors != null && !anchors.isNull()) {
      if (!anchors.isArray()) {
        throw new InvalidRequestException("anchors must be an array of {essay_id, text, grade}");
      }
      for (int i = 0; i < anchors.size(); i++) {
        JsonNode a = element(anchors, "anchors", i, "{essay_id, text, grade}");
        String where = "anchors[" + i + "]: ";
        essays.add(EssayInput.anchor(text(a, "essay_id", true, where), text(a, "text", true, where),
            text(a, "grade", true, where)));
      }
    }
    JsonNode max = root.get("max_comparisons");
    int budget = 0;
    if (max != null && !max.isNull()) {
      // isIntegralNumber: 2.5 would otherwise be read as a budget of 2
      if (!max.isIntegralNumber() || !max.canConvertToInt() || max.asInt() < 1) {
        throw new InvalidRequestException("max_comparisons must be a positive integer, got "
            + JsonErrors.echo(max.toString()));
      }
      budget = max.asInt();
    }
    String scale = text(root, "grade_scale", false);
    JsonNode overrides = root.get("llm_config_overrides");
    if (overrides != null && !overrides.isNull() && !overrides.isObject()) {
      // anything else would be dropped without a word, and the batch judged with the defaults
      throw new InvalidRequestException("llm_config_overrides must be an object, e.g. {\"temperature_override\": 0.2}");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> llm = overrides != null && overrides.isObject()
        ? Json.mapper().convertValue(overrides, Map.class) : Map.of();
    String user = client.map(Client::userId).orElse(text(root, "user_id", false));
    String org = client.isPresent() ? client.get().orgId() : text(root, "org_id", false);
    String owner = client.map(Client::clientId).orElse(Client.PLATFORM_ID);
    return new BatchRequest(batchId, "http:" + batchId,
        EventKind.nameBased(EventKind.NAMESPACE, "http:" + owner + ":" + batchId), essays,
        scale == null ? "swedish_8_anchor" : scale, budget, user == null ? "http-api" : user, org,
        text(root, "assignment_id", false), text(root, "course_code", false),
        text(root, "language", false), text(root, "assignment_context", false), llm,
        text(root, "pair_selector", false));
  }

  private static String text(JsonNode node, String field, boolean required) {
    return text(node, field, required, "");
  }

  /** @param where names the list element ({@code essays[2]: }) so a mistake in a batch of hundreds can be found */
  private static String text(JsonNode node, String field, boolean required, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new InvalidRequestException(where + field + " is missing");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidRequestException(where + field + " must be a string");
    }
    return v.asText();
  }

  private static JsonNode element(JsonNode list, String name, int i, String shape) {
    JsonNode e = list.get(i);
    if (!e.isObject()) {
      throw new InvalidRequestException(name + "[" + i + "] must be an object " + shape);
    }
    return e;
  }

}
