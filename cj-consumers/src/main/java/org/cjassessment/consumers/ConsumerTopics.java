package org.cjassessment.consumers;

/**
 * The topics the reference consumers read, and where they dead-letter. The defaults are the upstream names our
 * service publishes to (configurable there with the same {@code CJ_TOPIC_*} variables).
 */
public record ConsumerTopics(
    String requests, String completed, String failed, String results, String resourceConsumption,
    String deadLetters) {

  public static final String DEFAULT_DEAD_LETTERS = "huleedu.cj_reference_consumers.dead_letter.v1";

  public static ConsumerTopics defaults() {
    return new ConsumerTopics("huleedu.els.cj_assessment.requested.v1", "huleedu.cj_assessment.completed.v1",
        "huleedu.cj_assessment.failed.v1", "huleedu.assessment.result.published.v1",
        "huleedu.resource.consumption.v1", DEFAULT_DEAD_LETTERS);
  }

  public String[] all() {
    return new String[] {requests, completed, failed, results, resourceConsumption, deadLetters};
  }
}
