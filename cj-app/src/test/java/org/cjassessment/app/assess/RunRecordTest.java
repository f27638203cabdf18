package org.cjassessment.app.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.cjassessment.app.UserInputException;
import org.cjassessment.service.batch.EssayInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecordTest {

  @TempDir
  Path out;

  private static final List<EssayInput> ESSAYS = List.of(EssayInput.student("a", "one"),
      EssayInput.student("b", "two"), EssayInput.anchor("x", "three", "C"));

  @Test
  void theSameInputsInAnyOrderAreTheSameRun() {
    RunRecord one = RunRecord.of(ESSAYS, "swedish_8_anchor", 20, null, null, "simulated");
    RunRecord two = RunRecord.of(List.of(ESSAYS.get(2), ESSAYS.get(0), ESSAYS.get(1)), "swedish_8_anchor", 20,
        null, null, "simulated");
    assertThat(two).isEqualTo(one);
    assertThat(one.batchId()).startsWith("assess-").hasSize(7 + 16);
    assertThat(one.correlationId()).isEqualTo(two.correlationId());
  }

  @Test
  void anyChangedInputIsAnotherRun() {
    RunRecord base = RunRecord.of(ESSAYS, "swedish_8_anchor", 20, null, null, "simulated");
    assertThat(RunRecord.of(List.of(ESSAYS.get(0), EssayInput.student("b", "two!"), ESSAYS.get(2)),
        "swedish_8_anchor", 20, null, null, "simulated")).isNotEqualTo(base);
    assertThat(RunRecord.of(List.of(ESSAYS.get(0), ESSAYS.get(1), EssayInput.anchor("x", "three", "B")),
        "swedish_8_anchor", 20, null, null, "simulated")).isNotEqualTo(base);
    assertThat(RunRecord.of(ESSAYS, "swedish_8_anchor", 21, null, null, "simulated")).isNotEqualTo(base);
    assertThat(RunRecord.of(ESSAYS, "swedish_8_anchor", 20, "prompt", null, "simulated")).isNotEqualTo(base);
    assertThat(RunRecord.of(ESSAYS, "swedish_8_anchor", 20, null, null, "openai")).isNotEqualTo(base);
  }

  @Test
  void claimingWritesOnceResumesTheSameAndRefusesAnother() {
    RunRecord run = RunRecord.of(ESSAYS, "swedish_8_anchor", 20, null, null, "simulated");
    assertThat(run.claim(out)).isFalse();
    assertThat(run.claim(out)).isTrue();
    RunRecord other = RunRecord.of(ESSAYS, "swedish_8_anchor", 30, null, null, "simulated");
    assertThatThrownBy(() -> other.claim(out)).isInstanceOf(UserInputException.class)
        .hasMessageContaining(run.batchId());
  }
}
