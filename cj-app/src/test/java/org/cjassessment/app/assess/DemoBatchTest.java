package org.cjassessment.app.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.stream.Collectors;
import org.cjassessment.service.batch.EssayInput;
import org.junit.jupiter.api.Test;

class DemoBatchTest {

  @Test
  void quantileMatchesTabulatedValues() {
    assertThat(DemoBatch.quantile(0.5)).isEqualTo(0.0, within(1e-9));
    assertThat(DemoBatch.quantile(0.975)).isEqualTo(1.959963985, within(1e-8));
    assertThat(DemoBatch.quantile(0.02)).isEqualTo(-2.053748911, within(1e-8));
    assertThat(DemoBatch.quantile(0.8413447461)).isEqualTo(1.0, within(1e-8));
  }

  @Test
  void anchorsSpanTheScaleAndSitInsideTheirOwnGradeBand() {
    DemoBatch batch = DemoBatch.generate(60, 8, 42);
    assertThat(batch.essays()).hasSize(68);
    assertThat(batch.essays().stream().filter(EssayInput::isAnchor).map(EssayInput::anchorGrade))
        .containsExactly("F", "E", "D", "D+", "C", "C+", "B", "A");
    // an anchor's true grade (the band its ability falls in, like a student's) is its given grade
    for (EssayInput anchor : batch.essays().stream().filter(EssayInput::isAnchor).toList()) {
      assertThat(batch.trueGrades().get(anchor.essayId())).isEqualTo(anchor.anchorGrade());
    }
    // abilities and grades agree in order: a higher grade never has a lower ability
    var scale = batch.scale();
    for (String a : batch.abilities().keySet()) {
      for (String b : batch.abilities().keySet()) {
        if (batch.abilities().get(a) < batch.abilities().get(b)) {
          assertThat(scale.rankOf(batch.trueGrades().get(a))).isLessThanOrEqualTo(
              scale.rankOf(batch.trueGrades().get(b)));
        }
      }
    }
  }

  @Test
  void studentGradesFollowTheScalesPriorsOnALargeClass() {
    DemoBatch batch = DemoBatch.generate(20_000, 0, 7);
    Map<String, Long> counts = batch.trueGrades().values().stream()
        .collect(Collectors.groupingBy(g -> g, Collectors.counting()));
    batch.scale().populationPriors().forEach((grade, prior) -> assertThat(counts.getOrDefault(grade, 0L) / 20_000.0)
        .as(grade).isEqualTo(prior, within(0.015)));
  }

  @Test
  void theSameSeedGivesTheSameClassAndTextsAreShortAndVaried() {
    DemoBatch one = DemoBatch.generate(30, 4, 1);
    DemoBatch two = DemoBatch.generate(30, 4, 1);
    assertThat(one.essays()).isEqualTo(two.essays());
    assertThat(one.abilities()).isEqualTo(two.abilities());
    assertThat(one.essays().stream().map(EssayInput::text).distinct().count()).isGreaterThan(25);
    assertThat(one.essays()).allSatisfy(e -> assertThat(e.text().length()).isBetween(60, 1200));
  }
}
