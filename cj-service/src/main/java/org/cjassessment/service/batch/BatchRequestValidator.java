package org.cjassessment.service.batch;

import java.util.HashSet;
import java.util.Set;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.service.ServiceSettings;

/** Checks a request completely before anything is written, so a bad request never half-creates a batch. */
public final class BatchRequestValidator {

  private final ServiceSettings settings;

  public BatchRequestValidator(ServiceSettings settings) {
    this.settings = settings;
  }

  public void validate(BatchRequest r) {
    require(r.upstreamBatchId(), "batch_id");
    require(r.requestEventId(), "request event id");
    require(r.userId(), "user_id");
    if (r.correlationId() == null) {
      throw new InvalidRequestException("correlation_id is missing");
    }
    GradeScale scale = GradeScale.findById(r.gradeScale()).orElseThrow(() -> new InvalidRequestException(
        "grade_scale '" + r.gradeScale() + "' is unknown; valid scales: " + String.join(", ", GradeScale.ids())));
    if (r.budget() < 0 || r.budget() > settings.maxBudget()) {
      throw new InvalidRequestException("max_comparisons " + r.budget() + " is outside 1.." + settings.maxBudget()
          + " (omit it for the default of " + settings.defaultBudget() + ")");
    }
    Object temperature = r.llmConfigOverrides().get("temperature_override");
    if (temperature != null && !(temperature instanceof Number t && t.doubleValue() >= 0 && t.doubleValue() <= 2)) {
      throw new InvalidRequestException("llm_config_overrides.temperature_override " + temperature
          + " is not a number in [0, 2] (omit it for the judge's default)");
    }
    Set<String> ids = new HashSet<>();
    for (EssayInput e : r.essays()) {
      require(e.essayId(), "essay_id");
      if (e.essayId().length() > 200) {
        throw new InvalidRequestException("essay_id longer than 200 characters: '" + e.essayId().substring(0, 40)
            + "...'");
      }
      if (!ids.add(e.essayId())) {
        throw new InvalidRequestException("essay_id '" + e.essayId() + "' appears twice in the batch");
      }
      if (e.text() == null || e.text().isBlank()) {
        throw new InvalidRequestException("essay '" + e.essayId() + "' has no text");
      }
      if (e.text().length() > settings.maxEssayChars()) {
        throw new InvalidRequestException("essay '" + e.essayId() + "' has " + e.text().length()
            + " characters, more than the limit of " + settings.maxEssayChars());
      }
      if (e.isAnchor() && !scale.isValid(e.anchorGrade())) {
        throw new InvalidRequestException("anchor '" + e.essayId() + "' has grade '" + e.anchorGrade()
            + "', not on scale " + scale.id() + " (" + String.join(", ", scale.grades()) + ")");
      }
    }
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(field + " is missing or blank");
    }
  }
}
