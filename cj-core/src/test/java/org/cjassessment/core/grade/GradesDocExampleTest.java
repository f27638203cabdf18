package org.cjassessment.core.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example in docs/GRADES.md, verbatim between the markers, so the documentation cannot drift from the code. */
class GradesDocExampleTest {

  @Test
  void theDocumentedExampleRunsAndGivesTheDocumentedNumbers() {
    // --- docs/GRADES.md example start
    GradeProjection result =
        GradeProjector.withDefaults()
            .project(
                GradeScale.byId("swedish_8_anchor"),
                List.of(
                    new AbilityEstimate("anchor-E", -2.0, 0.3),
                    new AbilityEstimate("anchor-C", 0.5, 0.3),
                    new AbilityEstimate("anchor-A", 3.0, 0.3),
                    new AbilityEstimate("essay-17", 0.9, 0.6)),
                Map.of("anchor-E", "E", "anchor-C", "C", "anchor-A", "A"));

    if (result instanceof GradeProjection.Projected projected) {
      StudentGrade essay = projected.students().get(0); // students only, sorted by essay id
      String grade = essay.mostLikelyGrade(); // "C"
      double confidence = essay.confidence(); // P(grade) ≈ 0.40
      ConfidenceLabel label = essay.confidenceLabel(); // LOW (< 0.5)
      double pCPlus = essay.probabilityOf("C+"); // ≈ 0.28
      // --- docs/GRADES.md example end
      assertThat(grade).isEqualTo("C");
      assertThat(confidence).isCloseTo(0.40, within(0.01));
      assertThat(label).isEqualTo(ConfidenceLabel.LOW);
      assertThat(pCPlus).isCloseTo(0.28, within(0.01));
    } else {
      throw new AssertionError("expected a projection, got " + result);
    }
  }

  @Test
  void theDocumentCarriesTheExampleVerbatim() throws IOException {
    Path self = Path.of("src/test/java/org/cjassessment/core/grade/GradesDocExampleTest.java");
    Path doc = Path.of("../docs/GRADES.md");
    List<String> source = trimmed(Files.readAllLines(self));
    List<String> snippet =
        source.subList(
            source.indexOf("// --- docs/GRADES.md example start") + 1,
            source.indexOf("// --- docs/GRADES.md example end"));
    assertThat(snippet).isNotEmpty();
    assertThat(trimmed(Files.readAllLines(doc))).containsSubsequence(snippet).containsSequence(snippet);
  }

  private static List<String> trimmed(List<String> lines) {
    return lines.stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
  }
}
