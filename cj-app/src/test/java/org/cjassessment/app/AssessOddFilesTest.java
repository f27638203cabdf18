package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cj assess} on folders as teachers have them: names with accents, spaces and a leading '=', a byte-order
 * mark, CRLF lines, Word files beside the text files, a file name longer than the service takes as an id.
 */
@ExtendWith(SharedInfrastructure.class)
class AssessOddFilesTest {

  @TempDir
  Path dir;

  private Path essays(String... namesAndTexts) throws IOException {
    Path essays = Files.createDirectories(dir.resolve("essays"));
    for (int i = 0; i < namesAndTexts.length; i += 2) {
      Files.write(essays.resolve(namesAndTexts[i]), namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return essays;
  }

  private Path truth(String... ids) throws IOException {
    StringBuilder csv = new StringBuilder("essay_id,ability\n");
    for (int i = 0; i < ids.length; i++) {
      csv.append('"').append(ids[i]).append("\",").append(i - ids.length / 2.0).append('\n');
    }
    return Files.writeString(dir.resolve("truth.csv"), csv);
  }

  @Test
  void aFileNameLongerThanAnEssayIdIsRefusedBeforeAnythingStarts() throws IOException {
    String longName = "essay-" + "x".repeat(220);
    Path essays = essays("a.txt", "one", "b.txt", "two", longName + ".txt", "three");
    Path out = dir.resolve("out");
    CliRun r = CliRun.run(new HashMap<>(), "assess", essays.toString(), "--judge", "simulated", "--truth",
        truth("a", "b", longName).toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("1 file cannot be assessed", "essay id of 226 characters, more than the limit of "
        + "200: shorten the file name");
    assertThat(r.out()).doesNotContain("Starting"); // nothing started
    assertThat(out.resolve("run.json")).doesNotExist(); // and --out is not claimed by a run that cannot complete
  }

  @Test
  void aFolderOfWordFilesSaysWhichFilesWereNotRead() throws IOException {
    Path essays = essays("anna.docx", "PK...", "ben.docx", "PK...", "one.txt", "a single text essay");
    CliRun r = CliRun.run(new HashMap<>(), "assess", essays.toString(), "--judge", "simulated", "--truth",
        truth("one").toString(), "--out", dir.resolve("out").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("1 student essay", "not read: anna.docx, ben.docx",
        "save essays as UTF-8 .txt or .md files");
  }

  @Test
  void accentsBlanksFormulasByteOrderMarksAndCrlfAreAssessedAndTheCsvIsSafeToOpen() throws IOException {
    Path essays = essays("\u00c5sa \u00d6berg.txt", "Ett svenskt sv\u00e5r essay.\n",
        "=HYPERLINK(1).txt", "An essay whose file name a spreadsheet would run.\n",
        "bom.md", "\uFEFFAn essay saved with a byte-order mark.\n",
        "crlf.txt", "Line one.\r\nLine two.\r\n");
    Path out = dir.resolve("out");
    Map<String, String> env = CliRun.sharedInfrastructure("assess-odd");
    CliRun r = CliRun.run(env, "assess", essays.toString(), "--judge", "simulated", "--truth",
        truth("\u00c5sa \u00d6berg", "=HYPERLINK(1)", "bom", "crlf").toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("(no anchors: no grades").doesNotContain("(* anchor");
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertThat(csv).hasSize(5);
    assertThat(csv).anySatisfy(row -> assertThat(row).startsWith("'=HYPERLINK(1),student,"));
    assertThat(csv).anySatisfy(row -> assertThat(row).startsWith("\u00c5sa \u00d6berg,student,"));
    assertThat(csv.stream().filter(row -> row.startsWith("="))).isEmpty();
  }

  @Test
  void anAnchorNamedWithItsFileExtensionGetsTheIdItMeant() throws IOException {
    Path essays = essays("a.txt", "one", "b.txt", "two", "anchor-A.txt", "three");
    Path anchors = Files.writeString(dir.resolve("anchors.csv"), "essay_id,grade\nanchor-A.txt,A\n");
    CliRun r = CliRun.run(new HashMap<>(), "assess", essays.toString(), "--anchors", anchors.toString(), "--judge",
        "simulated", "--truth", truth("a", "b", "anchor-A").toString(), "--out", dir.resolve("out").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("anchor 'anchor-A.txt' has no essay file",
        "the essay id is the file name without its extension: 'anchor-A'");
  }

  @Test
  void anAnchorsFolderSpelledDifferentlyFromTheEssaysFolderIsTheSameFolder() throws IOException {
    Path essays = essays("a.txt", "one", "b.txt", "two", "anchor-A.txt", "three", "anchor-F.txt", "four");
    Path anchors = Files.writeString(dir.resolve("anchors.csv"), "essay_id,grade\nanchor-A,A\nanchor-F,F\n");
    Path sameFolder = essays.resolve("..").resolve(essays.getFileName()); // essays/../essays
    Path out = dir.resolve("out");
    // the assessment itself is not run: --budget 0 stops it after the folders were read
    CliRun r = CliRun.run(new HashMap<>(), "assess", essays.toString(), "--anchors", anchors.toString(),
        "--anchors-dir", sameFolder.toString(), "--judge", "simulated", "--truth",
        truth("a", "b", "anchor-A", "anchor-F").toString(), "--out", out.toString(), "--budget", "0");
    assertThat(r.err()).doesNotContain("is both a student essay").contains("--budget 0 is outside");
  }

  @Test
  void theEssaysFolderIsNotTheOutputFolder() throws IOException {
    Path essays = essays("a.txt", "one", "b.txt", "two");
    CliRun r = CliRun.run(new HashMap<>(), "assess", essays.toString(), "--judge", "simulated", "--truth",
        truth("a", "b").toString(), "--out", essays.resolve(".").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("is the essays folder", "choose another --out");
    assertThat(essays.resolve("run.json")).doesNotExist();
  }
}
