package org.cjassessment.service.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A validated request to assess a batch, whichever way it arrived (Kafka request event, HTTP, CLI).
 *
 * @param upstreamBatchId the caller's batch id (BOS batch id)
 * @param requestEventId identifies this request: a redelivery carries the same id and creates nothing new
 * @param budget maximum comparisons, or 0 for the service default
 * @param pairSelector {@code adaptive}, {@code coverage} or {@code random}; null for the service default
 *     ({@code CJ_PAIR_SELECTOR})
 */
public record BatchRequest(
    String upstreamBatchId,
    String requestEventId,
    UUID correlationId,
    List<EssayInput> essays,
    String gradeScale,
    int budget,
    String userId,
    String orgId,
    String assignmentId,
    String courseCode,
    String language,
    String assignmentContext,
    Map<String, Object> llmConfigOverrides,
    String pairSelector) {

  /** A request that leaves the pair selector to the service. */
  public BatchRequest(String upstreamBatchId, String requestEventId, UUID correlationId, List<EssayInput> essays,
      String gradeScale, int budget, String userId, String orgId, String assignmentId, String courseCode,
      String language, String assignmentContext, Map<String, Object> llmConfigOverrides) {
    this(upstreamBatchId, requestEventId, correlationId, essays, gradeScale, budget, userId, orgId, assignmentId,
        courseCode, language, assignmentContext, llmConfigOverrides, null);
  }

  public BatchRequest {
    essays = List.copyOf(essays);
    // Upstream serialises every LLMConfigOverrides field, unset ones as null ({"model_override": null, ...}); a null
    // means "no override", and Map.copyOf would throw on it (a request that could never be processed).
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (llmConfigOverrides != null) {
      llmConfigOverrides.forEach((k, v) -> {
        if (v != null) {
          overrides.put(k, v);
        }
      });
    }
    llmConfigOverrides = Collections.unmodifiableMap(overrides);
  }

  public long students() {
    return essays.stream().filter(e -> !e.isAnchor()).count();
  }
}
