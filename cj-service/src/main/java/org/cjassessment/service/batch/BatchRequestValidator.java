package org.cjassessment.service.batch;

import java.util.HashSet;
import java.util.Set;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.pairs.SelectorKind;
import org.cjassessment.service.JsonErrors;
import org.cjassessment.service.ServiceSettings;

/**
 * Checks a request completely before anything is written, so a bad request never half-creates a batch. Messages
 * name the field, the value or limit and the fix; values from the request are quoted at most 40 characters long
 * ({@link JsonErrors#echo}), and essay text never.
 */
public final class BatchRequestValidator {

  private final ServiceSettings settings;

  public BatchRequestValidator(ServiceSettings settings) {
    this.settings = settings;
  }

  public void validate(BatchRequest r) {
    noNulCharacter(r);
    require(r.upstreamBatchId(), "batch_id");
    require(r.requestEventId(), "request event id");
    if (r.upstreamBatchId().length() > 200) {
      throw new InvalidRequestException("batch id (entity_id / batch_id) is " + r.upstreamBatchId().length()
          + " characters, more than the limit of 200");
    }
    require(r.userId(), "user_id");
    if (r.correlationId() == null) {
      throw new InvalidRequestException("correlation_id is missing");
    }
    GradeScale scale = GradeScale.findById(r.gradeScale()).orElseThrow(() -> new InvalidRequestException(
        "grade_scale '" + JsonErrors.echo(r.gradeScale()) + "' is unknown; valid scales: "
            + String.join(", ", GradeScale.ids())));
    if (r.budget() < 0 || r.budget() > settings.maxBudget()) {
      throw new InvalidRequestException("max_comparisons " + r.budget() + " is outside 1.." + settings.maxBudget()
          + " (CJ_MAX_COMPARISONS; omit it for the default of " + settings.defaultBudget() + ")");
    }
    if (r.pairSelector() != null && SelectorKind.find(r.pairSelector()).isEmpty()) {
      throw new InvalidRequestException("pair_selector '" + JsonErrors.echo(r.pairSelector())
          + "' is unknown; use one of " + SelectorKind.ids() + ", or omit it for the service default");
    }
    if (r.students() == 0) {
      // Nothing to assess: refused rather than "completed" with 0 essays and a bill of 0.
      throw new InvalidRequestException("the batch has no student essays; send at least one");
    }
    if (r.essays().size() > settings.maxEssaysPerBatch()) {
      throw new InvalidRequestException("the batch has " + r.essays().size() + " essays (students and anchors), "
          + "more than the limit of " + settings.maxEssaysPerBatch() + " (CJ_MAX_ESSAYS_PER_BATCH); split it");
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
      // Cheap bounds first: UTF-16 length ≥ code points, and UTF-8 bytes ≤ 3 × UTF-16 length.
      if (e.text().length() > settings.maxEssayChars()) {
        int chars = e.text().codePointCount(0, e.text().length());
        if (chars > settings.maxEssayChars()) {
          throw new InvalidRequestException("essay '" + e.essayId() + "' has " + chars + " characters, more than the"
              + " limit of " + settings.maxEssayChars() + " (CJ_MAX_ESSAY_CHARS)");
        }
      }
      if (3L * e.text().length() > settings.maxEssayBytes()) {
        int bytes = utf8Length(e.text());
        if (bytes > settings.maxEssayBytes()) {
          throw new InvalidRequestException("essay '" + e.essayId() + "' is " + bytes + " bytes in UTF-8, more than"
              + " the limit of " + settings.maxEssayBytes() + " (CJ_MAX_ESSAY_BYTES)");
        }
      }
      if (e.isAnchor() && !scale.isValid(e.anchorGrade())) {
        throw new InvalidRequestException("anchor '" + e.essayId() + "' has grade '" + JsonErrors.echo(e.anchorGrade())
            + "', not on scale " + scale.id() + " (" + String.join(", ", scale.grades()) + ")");
      }
    }
  }

  /**
   * PostgreSQL's text and jsonb cannot hold U+0000: a NUL anywhere in a request (JSON allows {@code \u0000}) made the
   * insert fail, a 500 for the HTTP client. Refused up front instead, naming the field, never quoting the text.
   */
  private static void noNulCharacter(BatchRequest r) {
    nul(r.upstreamBatchId(), "batch_id");
    for (String[] field : new String[][] {{r.userId(), "user_id"}, {r.orgId(), "org_id"},
        {r.assignmentId(), "assignment_id"}, {r.courseCode(), "course_code"}, {r.language(), "language"},
        {r.assignmentContext(), "assignment_context"}, {r.pairSelector(), "pair_selector"},
        {r.gradeScale(), "grade_scale"}}) {
      nul(field[0], field[1]);
    }
    if (containsNul(r.llmConfigOverrides())) {
      throw new InvalidRequestException("llm_config_overrides contains a NUL character (\\u0000); remove it");
    }
    for (EssayInput e : r.essays()) {
      nul(e.essayId(), "essay_id");
      String id = JsonErrors.echo(e.essayId());
      nul(e.text(), "the text of essay '" + id + "'");
      nul(e.anchorGrade(), "the grade of anchor '" + id + "'");
    }
  }

  private static void nul(String value, String field) {
    if (value != null && value.indexOf('\0') >= 0) {
      throw new InvalidRequestException(field + " contains a NUL character (\\u0000), which cannot be stored; "
          + "remove it");
    }
  }

  private static boolean containsNul(Object value) {
    if (value instanceof String s) {
      return s.indexOf('\0') >= 0;
    }
    if (value instanceof java.util.Map<?, ?> m) {
      return m.entrySet().stream().anyMatch(e -> containsNul(e.getKey()) || containsNul(e.getValue()));
    }
    if (value instanceof java.util.Collection<?> c) {
      return c.stream().anyMatch(BatchRequestValidator::containsNul);
    }
    return false;
  }

  private static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(field + " is missing or blank");
    }
  }
}
