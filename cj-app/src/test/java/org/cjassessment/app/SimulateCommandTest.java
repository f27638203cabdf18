package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandTest {

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    CommandLine cli = CjCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void printsEveryFigurePerSelectorAsJson() throws Exception {
    Run r = run("simulate", "--essays", "24", "--anchors", "4", "--seeds", "2", "--selector", "adaptive,random",
        "--budget-per-essay", "12", "--format", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.path("setup").path("students").asInt()).isEqualTo(24);
    assertThat(doc.path("selectors")).hasSize(2);
    JsonNode adaptive = doc.path("selectors").get(0);
    assertThat(adaptive.path("selector").asText()).isEqualTo("adaptive");
    for (String field : new String[] {"appearances_to_target_median", "ssr", "split_half", "true_reliability",
        "leading_reliability", "grade_exact", "grade_within_one", "stop_reasons"}) {
      assertThat(adaptive.has(field)).as(field).isTrue();
    }
    assertThat(adaptive.path("seeds").asInt()).isEqualTo(2);
  }

  @Test
  void coinTossesAreAcceptedAndTheTextNamesEachSelector() {
    Run r = run("simulate", "--essays", "16", "--anchors", "0", "--seeds", "1", "--judge-agreement", "0.5",
        "--budget-per-essay", "6");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("adaptive", "coverage", "random", "to Spearman >= 0.90", "not reached",
        "stop reasons: budget_spent 1");
  }

  @Test
  void badOptionsExitWithTwoAndOneLine() {
    for (String[] args : new String[][] {
        {"simulate", "--selector", "swiss"},
        {"simulate", "--judge-agreement", "1.0"},
        {"simulate", "--essays", "1"},
        {"simulate", "--essays", "1000000"},
        {"simulate", "--essays", "9995", "--anchors", "10"},
        {"simulate", "--seeds", "0"},
        {"simulate", "--max-per-essay", "-1"},
        {"simulate", "--format", "xml"}}) {
      Run r = run(args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).doesNotContain("Exception");
    }
  }
}
