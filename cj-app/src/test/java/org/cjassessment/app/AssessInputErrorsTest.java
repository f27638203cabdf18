package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every mistake {@code cj assess} can meet before it starts anything: exit 2 and one line on stderr that names the
 * offending file or option (and never quotes an essay).
 */
class AssessInputErrorsTest {

  private static final String SECRET = "Tuesday's secret essay sentence";

  @TempDir
  Path dir;

  private final Map<String, String> env = new HashMap<>();

  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void isolatedEnvironment() {
    CjCommand.useEnvironment(() -> env);
  }

  @AfterEach
  void restoreEnvironment() {
    CjCommand.useEnvironment(System::getenv);
  }

  private Run run(String... args) {
    CommandLine cli = CjCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path essays(String... namesAndTexts) throws IOException {
    Path essays = Files.createDirectories(dir.resolve("essays"));
    for (int i = 0; i < namesAndTexts.length; i += 2) {
      Files.writeString(essays.resolve(namesAndTexts[i]), namesAndTexts[i + 1]);
    }
    return essays;
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private Run simulated(Path essays, String... more) throws IOException {
    Path truth = file("truth.csv", "essay_id,ability\na,1\nb,0\nc,-1\nanchor,0.5\n");
    String[] args = new String[6 + more.length];
    args[0] = "assess";
    args[1] = essays.toString();
    args[2] = "--judge";
    args[3] = "simulated";
    args[4] = "--truth";
    args[5] = truth.toString();
    System.arraycopy(more, 0, args, 6, more.length);
    return run(args);
  }

  private static void assertOneLineExit2(Run r, String... fragments) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).startsWith("cj assess: ").contains(fragments).doesNotContain(SECRET)
        .doesNotContain("Exception");
  }

  @Test
  void noJudgeConfiguredSaysHowToConfigureOneAndHowToDryRun() throws IOException {
    Run r = run("assess", essays("a.txt", SECRET, "b.txt", "two").toString());
    assertOneLineExit2(r, "no judge configured", "--judge openai", "CJ_JUDGE_API_KEY",
        "--judge simulated --truth");
  }

  @Test
  void theSimulatedJudgeNeedsATruthFile() throws IOException {
    Run r = run("assess", essays("a.txt", "one", "b.txt", "two").toString(), "--judge", "simulated");
    assertOneLineExit2(r, "--truth FILE (CJ_JUDGE_TRUTH_FILE) is required for CJ_JUDGE_PROVIDER=simulated");
  }

  @Test
  void anUnknownProviderIsNamed() throws IOException {
    env.put("CJ_JUDGE_PROVIDER", "gemini");
    Run r = run("assess", essays("a.txt", "one", "b.txt", "two").toString());
    assertOneLineExit2(r, "CJ_JUDGE_PROVIDER=gemini is not one of openai, anthropic, simulated");
  }

  @Test
  void emptyBinaryAndNonUtf8FilesAreAllNamedAndRefuseTheRun() throws IOException {
    Path essays = essays("a.txt", SECRET, "b.txt", "two", "c.txt", "three", "blank.md", "  \n\n");
    Files.write(essays.resolve("image.txt"), new byte[] {'G', 'I', 'F', 0, 1, 2});
    Files.write(essays.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
    Files.writeString(essays.resolve("notes.csv"), "not an essay"); // other extensions are not essays
    Run r = simulated(essays);
    assertOneLineExit2(r, "3 files cannot be assessed", "blank.md (empty)", "image.txt (binary",
        "latin1.txt (not UTF-8 text)", "fix or remove them");
  }

  @Test
  void anOversizedFileIsRefusedWithTheLimit() throws IOException {
    env.put("CJ_MAX_ESSAY_CHARS", "100");
    Run r = simulated(essays("a.txt", SECRET, "b.txt", "two", "c.txt", "x".repeat(150)));
    assertOneLineExit2(r, "c.txt (150 characters, more than the limit of 100)");
  }

  @Test
  void anAnchorWithoutAnEssayFileIsNamed() throws IOException {
    Path anchors = file("anchors.csv", "essay_id,grade\nanchor,C\nmissing,B\n");
    Run r = simulated(essays("a.txt", "one", "b.txt", "two", "anchor.txt", "three"), "--anchors",
        anchors.toString());
    assertOneLineExit2(r, "anchor 'missing' has no essay file");
  }

  @Test
  void anAnchorGradeNotOnTheScaleIsNamedWithTheScalesGrades() throws IOException {
    Path anchors = file("anchors.csv", "essay_id,grade\nanchor,Z\n");
    Run r = simulated(essays("a.txt", "one", "b.txt", "two", "anchor.txt", "three"), "--anchors",
        anchors.toString());
    assertOneLineExit2(r, "line 2", "grade 'Z' of anchor 'anchor' is not on scale swedish_8_anchor");
  }

  @Test
  void aMissingOrUnreadableFolderIsNamed() throws IOException {
    assertOneLineExit2(simulated(dir.resolve("nowhere")), "nowhere: no such directory");
    assertOneLineExit2(simulated(file("plain.txt", "x")), "plain.txt: is not a directory");
  }

  @Test
  void fewerThanTwoStudentEssaysAreRefused() throws IOException {
    assertOneLineExit2(simulated(essays("a.txt", "one")), "1 student essay", "at least 2");
  }

  @Test
  void aTruthFileMissingAnEssayIsNamed() throws IOException {
    Path truth = file("partial.csv", "essay_id,ability\na,1\n");
    Run r = run("assess", essays("a.txt", "one", "b.txt", "two").toString(), "--judge", "simulated", "--truth",
        truth.toString());
    assertOneLineExit2(r, "no ability for essay b");
  }

  @Test
  void anOutputDirectoryHoldingAnotherRunIsNotMixedInto() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("run.json"), "{\"batch_id\":\"assess-other\",\"inputs_sha256\":\"abc\"}");
    Run r = simulated(essays("a.txt", "one", "b.txt", "two"), "--out", out.toString());
    assertOneLineExit2(r, "holds a run of other inputs (batch assess-other)", "Use another --out");
  }
}
