package org.cjassessment.service.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.cjassessment.service.events.EventKind;
import org.cjassessment.service.Json;
import org.cjassessment.service.JsonErrors;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.batch.EssayInput;
import org.cjassessment.service.batch.InvalidRequestException;

/**
 * The upstream request event ({@code ELS_CJAssessmentRequestV1} in its envelope) → {@link BatchRequest}. Essays
 * come by {@code text_storage_id} (fetched from the content store) or, as an extension, inline {@code text}; an
 * optional {@code anchors} list ({@code essay_id, text | text_storage_id, grade}) and {@code grade_scale} extend
 * the upstream contract, which took anchors from its own database.
 */
public final class RequestEventParser {

  private final ContentStore content;

  public RequestEventParser(ContentStore content) {
    this.content = content;
  }

  /**
   * @throws InvalidRequestException for a malformed or incomplete event (dead-lettered)
   * @throws ContentUnavailableException when a text cannot be fetched
   */
  public BatchRequest parse(byte[] bytes) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new InvalidRequestException("request event is " + JsonErrors.describe(e));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRequestException("envelope is not a JSON object");
    }
    String eventId = required(root, "event_id");
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      throw new InvalidRequestException("event " + eventId + " has no data object");
    }
    String batchId = required(data, "entity_id");
    String userId = required(data, "user_id");
    UUID correlationId;
    String c = text(root, "correlation_id");
    try {
      correlationId = c == null ? EventKind.nameBased(EventKind.NAMESPACE, "request:" + eventId) : UUID.fromString(c);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("event " + eventId + ": correlation_id '" + JsonErrors.echo(c)
          + "' is not a UUID");
    }
    JsonNode list = data.get("essays_for_cj");
    if (list == null || !list.isArray()) {
      throw new InvalidRequestException("event " + eventId + ": data.essays_for_cj must be an array");
    }
    List<EssayInput> essays = new ArrayList<>();
    for (JsonNode e : list) {
      String id = required(e, "essay_id");
      essays.add(new EssayInput(id, textOf(e, eventId, id), text(e, "text_storage_id"), null));
    }
    JsonNode anchors = data.get("anchors");
    if (anchors != null && anchors.isArray()) {
      for (JsonNode a : anchors) {
        String id = required(a, "essay_id");
        essays.add(new EssayInput(id, textOf(a, eventId, id), text(a, "text_storage_id"), required(a, "grade")));
      }
    }
    int budget = 0;
    JsonNode max = root.path("metadata").path("max_comparisons");
    if (!max.isMissingNode() && !max.isNull()) {
      if (!max.canConvertToInt() || max.asInt() < 1) {
        throw new InvalidRequestException("event " + eventId + ": metadata.max_comparisons must be a positive "
            + "integer, got " + JsonErrors.echo(max.toString()));
      }
      budget = max.asInt();
    }
    JsonNode overrides = data.get("llm_config_overrides");
    @SuppressWarnings("unchecked")
    Map<String, Object> llm = overrides != null && overrides.isObject()
        ? Json.mapper().convertValue(overrides, Map.class) : Map.of();
    String scale = text(data, "grade_scale");
    return new BatchRequest(batchId, eventId, correlationId, essays, scale == null ? "swedish_8_anchor" : scale,
        budget, userId, text(data, "org_id"), text(data, "assignment_id"), text(data, "course_code"),
        text(data, "language"), text(data, "assignment_context"), llm,
        text(root.path("metadata"), "pair_selector"));
  }

  /**
   * Who a request event is about, read leniently from bytes that may fail {@link #parse}: its upstream batch id
   * ({@code data.entity_id}) and correlation id, so that a request that cannot be served still gets its failure
   * event. Empty when the bytes are not JSON or carry no entity id.
   */
  public static Optional<RequestIdentity> identify(byte[] bytes) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(bytes);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    String entityId = text(root.path("data"), "entity_id");
    if (entityId == null || entityId.isBlank() || entityId.length() > 200) {
      return Optional.empty();
    }
    String eventId = text(root, "event_id");
    UUID correlationId;
    try {
      String c = text(root, "correlation_id");
      correlationId = c != null ? UUID.fromString(c)
          : EventKind.nameBased(EventKind.NAMESPACE, "request:" + (eventId == null ? entityId : eventId));
    } catch (IllegalArgumentException e) {
      correlationId = EventKind.nameBased(EventKind.NAMESPACE, "request:" + entityId);
    }
    return Optional.of(new RequestIdentity(entityId, correlationId));
  }

  /** The upstream batch a request is for, and the correlation id its events carry. */
  public record RequestIdentity(String upstreamBatchId, UUID correlationId) {}

  private String textOf(JsonNode essay, String eventId, String essayId) {
    String inline = text(essay, "text");
    if (inline != null) {
      return inline;
    }
    String storageId = text(essay, "text_storage_id");
    if (storageId == null) {
      throw new InvalidRequestException("event " + eventId + ": essay '" + essayId
          + "' has neither text_storage_id nor text");
    }
    return content.fetch(storageId);
  }

  private static String required(JsonNode node, String field) {
    String v = text(node, field);
    if (v == null || v.isBlank()) {
      throw new InvalidRequestException(field + " is missing");
    }
    return v;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
