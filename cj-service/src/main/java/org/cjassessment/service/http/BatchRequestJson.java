package org.cjassessment.service.http;

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
      root = Json.mapper().readTree(body);
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
    for (JsonNode e : list) {
      essays.add(EssayInput.student(text(e, "essay_id", true), text(e, "text", true)));
    }
    JsonNode anchors = root.get("anchors");
    if (anchors != null && !anchors.isNull()) {
      if (!anchors.isArray()) {
        throw new InvalidRequestException("anchors must be an array of {essay_id, text, grade}");
      }
      for (JsonNode a : anchors) {
        essays.add(EssayInput.anchor(text(a, "essay_id", true), text(a, "text", true), text(a, "grade", true)));
      }
    }
    JsonNode max = root.get("max_comparisons");
    int budget = 0;
    if (max != null && !max.isNull()) {
      if (!max.canConvertToInt() || max.asInt() < 1) {
        throw new InvalidRequestException("max_comparisons must be a positive integer, got "
            + JsonErrors.echo(max.toString()));
      }
      budget = max.asInt();
    }
    String scale = text(root, "grade_scale", false);
    JsonNode overrides = root.get("llm_config_overrides");
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
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new InvalidRequestException(field + " is missing");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidRequestException(field + " must be a string");
    }
    return v.asText();
  }

}
