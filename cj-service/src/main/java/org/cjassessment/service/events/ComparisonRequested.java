package org.cjassessment.service.events;

import java.util.Map;

/**
 * Our request to the judge worker (comparison-request topic): one pair, both texts, and where to answer. The judge
 * answers with an upstream {@code LLMComparisonResultV1} carrying the same {@code correlationId}.
 */
public record ComparisonRequested(
    String correlationId,
    String cjBatchId,
    String bosBatchId,
    int wave,
    Essay essayA,
    Essay essayB,
    String callbackTopic,
    String assignmentContext,
    Map<String, Object> llmConfigOverrides,
    Map<String, Object> requestMetadata) {

  public record Essay(String essayId, String text) {}
}
