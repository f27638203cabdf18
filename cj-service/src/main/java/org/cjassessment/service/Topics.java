package org.cjassessment.service;

import org.cjassessment.service.events.EventKind;

/** Kafka topic names; the defaults are the upstream ones so upstream consumers work unchanged. */
public record Topics(
    String requests,
    String callbacks,
    String completed,
    String failed,
    String results,
    String resourceConsumption,
    String comparisonRequests,
    String deadLetters) {

  public static Topics defaults() {
    return new Topics(
        "huleedu.els.cj_assessment.requested.v1",
        "huleedu.llm_provider.comparison_result.v1",
        EventKind.COMPLETED.defaultTopic(),
        EventKind.FAILED.defaultTopic(),
        EventKind.RESULT_PUBLISHED.defaultTopic(),
        EventKind.RESOURCE_CONSUMPTION.defaultTopic(),
        EventKind.COMPARISON_REQUESTED.defaultTopic(),
        "huleedu.cj_assessment.dead_letter.v1");
  }

  public String topicOf(EventKind kind) {
    return switch (kind) {
      case COMPLETED -> completed;
      case FAILED -> failed;
      case RESULT_PUBLISHED -> results;
      case RESOURCE_CONSUMPTION -> resourceConsumption;
      case COMPARISON_REQUESTED -> comparisonRequests;
    };
  }

  public String[] all() {
    return new String[] {requests, callbacks, completed, failed, results, resourceConsumption, comparisonRequests,
        deadLetters};
  }
}
