package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScoreCommandTest {

  @TempDir
  Path dir;

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

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static Path example(String name) {
    return Path.of("..", "examples", name);
  }

  @Test
  void scoresTheExampleWithOneRowPerEssayInRankOrder() {
    Run r = run("score", example("medium30-comparisons.csv").toString(), "--prior-sd", "0");
    assertThat(r.exit()).isZero();
    String[] lines = r.out().split("\\R");
    assertThat(lines[0]).isEqualTo("essay_id,score,se,rank,rank_lower,rank_upper,comparisons,wins,infit,outfit");
    assertThat(lines).hasSize(31);
    assertThat(lines[1]).startsWith("e12,1.702625,"); // the R reference's top essay and score
    assertThat(r.err()).contains("30 essays", "150 comparisons", "SSR", "split-half 0.", "1 component", "plain MLE",
        "iterations", " ms");
    String[] top = lines[1].split(",");
    assertThat(Integer.parseInt(top[4])).isEqualTo(1); // rank interval of the top essay starts at 1
    assertThat(Integer.parseInt(top[5])).isBetween(1, 30);
  }

  @Test
  void anchorsAddGradesAndProbabilitiesAndAnchorsKeepTheirKnownGrade() {
    Run r = run("score", example("medium30-comparisons.csv").toString(), "--anchors",
        example("medium30-anchors.csv").toString(), "--format", "json");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("\"grade_probabilities\"", "\"projected\" : true", "\"is_anchor\" : true",
        "\"split_half\"", "\"rank_interval_95\"");
    assertThat(r.err()).contains("grades on swedish_8_anchor from 9 anchors");
  }

  @Test
  void positionEffectIsReportedWhenTheOrderIsKnown() {
    Run r = run("score", example("comparisons.csv").toString());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("position effect +0.", "with known order");
  }

  @Test
  void softOutcomesAreReadFromAWinnerProbabilityColumn() throws IOException {
    Run r = run("score", file("soft.csv", "winner,loser,winner_probability\na,b,0.75\n").toString(), "--prior-sd",
        "0", "--format", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"score\" : 0.549306"); // ln(3)/2: a 75 % judgement, not a certain win
  }

  @Test
  void badInputExitsWithTwoAndOneClearLine() throws IOException {
    Path ok = file("ok.csv", "winner,loser\na,b\nb,a\n");
    expectUserError(run("score", dir.resolve("missing.csv").toString()), "no such file");
    expectUserError(run("score", file("cols.csv", "winner,looser\na,b\n").toString()), "no 'loser' column");
    expectUserError(run("score", file("empty.csv", "").toString()), "is empty");
    expectUserError(run("score", file("self.csv", "winner,loser\na,b\nc,c\n").toString()),
        "line 3: essay 'c' is compared with itself");
    expectUserError(run("score", ok.toString(), "--anchors", file("a.csv", "essay_id,grade\na,G\n").toString()),
        "grade 'G' of anchor 'a' is not in scale swedish_8_anchor");
    expectUserError(run("score", ok.toString(), "--anchors", file("b.csv", "essay_id,grade\na,C\n").toString(),
        "--scale", "nope"), "--scale nope is unknown");
    expectUserError(run("score", ok.toString(), "--prior-sd", "-1"), "prior-sd");
    expectUserError(run("score", file("p.csv", "winner,loser,winner_probability\na,b,1.5\n").toString()),
        "line 2: winner probability must be in [0, 1], got 1.5");
    expectUserError(run("score", file("q.csv", "winner,loser,winner_probability\na,b,x\n").toString()),
        "line 2: winner_probability 'x' is not a number");
    expectUserError(run("score", ok.toString(), "--format", "xml"), "format");
  }

  private static void expectUserError(Run r, String message) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
    assertThat(r.out()).isEmpty();
  }
}
