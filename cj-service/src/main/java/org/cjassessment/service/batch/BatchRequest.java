package org.cjassessment.service.batch;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A validated request to assess a batch, whichever way it arrived (Kafka request event, HTTP, CLI).
 *
 * @param upstreamBatchId the caller's batch id (BOS batch id)
 * @param requestEventId identifies this request: a redelivery carries the same id and creates nothing new
 * @param budget maximum comparisons, or 0 for the service default
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
    Map<String, Object> llmConfigOverrides) {

  public BatchRequest {
    essays = List.copyOf(essays);
    llmConfigOverrides = llmConfigOverrides == null ? Map.of() : Map.copyOf(llmConfigOverrides);
  }

  public long students() {
    return essays.stream().filter(e -> !e.isAnchor()).count();
  }
}
