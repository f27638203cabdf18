package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cjassessment.service.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cj score} on CSV files as people save them (Excel's byte-order mark, capitalised headers, CRLF, trailing
 * commas) and on files that would be read wrongly (a column named twice, an unquoted comma): the first are scored
 * like the plain file, the second refused with the line. And figures that do not exist are not printed as 0.
 */
class ScoreInputVariantsTest {

  @TempDir
  Path dir;

  private static final String PLAIN = "winner,loser\na,b\nb,c\nc,a\na,c\n";

  private Path file(String name, String content) throws IOException {
    return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
  }

  private static CliRun score(Path csv, String... more) {
    String[] args = new String[2 + more.length];
    args[0] = "score";
    args[1] = csv.toString();
    System.arraycopy(more, 0, args, 2, more.length);
    return CliRun.run(Map.of(), args);
  }

  private static void oneLineExit2(CliRun r, String... fragments) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith("cj score: ").contains(fragments).doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void filesAsSpreadsheetsSaveThemScoreLikeThePlainFile() throws IOException {
    String expected = score(file("plain.csv", PLAIN)).out();
    assertThat(expected).startsWith("essay_id,");
    for (String variant : new String[] {
        "\uFEFF" + PLAIN, // Excel's "CSV UTF-8" starts with a byte-order mark
        PLAIN.replace("winner,loser", "Winner,Loser"),
        PLAIN.replace("winner,loser", " WINNER , loser "),
        PLAIN.replace("\n", "\r\n"),
        PLAIN.replace("\n", ",\n"), // a trailing empty column
        PLAIN.replace("winner,loser\n", "winner,loser\n\n") + "\n\n"}) {
      CliRun r = score(file("variant.csv", variant));
      assertThat(r.exit()).as(variant + r.err()).isZero();
      assertThat(r.out()).as(variant).isEqualTo(expected);
    }
  }

  @Test
  void aColumnNamedTwiceIsRefusedRatherThanOneOfThemIgnored() throws IOException {
    oneLineExit2(score(file("twice.csv", "winner,loser,Winner\na,b,c\n")),
        "twice.csv: column 'winner' appears twice in the header");
  }

  @Test
  void moreValuesThanColumnsNameTheLine() throws IOException {
    oneLineExit2(score(file("comma.csv", "winner,loser\na,b\nSmith, J,b\n")),
        "comma.csv line 3: 3 values, but the header has 2 columns (winner,loser); quote a value that contains a comma");
  }

  @Test
  void textThatIsNotUtf8IsNamedAsSuch() throws IOException {
    Path latin1 = Files.write(dir.resolve("latin1.csv"), "winner,loser\nJos\u00e9,b\n".getBytes(
        StandardCharsets.ISO_8859_1));
    oneLineExit2(score(latin1), "latin1.csv: is not UTF-8 text (save it as CSV UTF-8)");
  }

  @Test
  void aSplitHalfThatCouldNotBeComputedIsNotAZero() throws IOException {
    Path one = file("one.csv", "winner,loser\na,b\n");
    CliRun text = score(one);
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.err()).contains("split-half n/a (no usable split").doesNotContain("split-half 0.000");
    CliRun json = score(one, "--format", "json");
    JsonNode splitHalf = Json.mapper().readTree(json.out()).at("/summary/split_half");
    assertThat(splitHalf.get("splits").asInt()).isZero();
    assertThat(splitHalf.get("reliability").isNull()).as(splitHalf.toString()).isTrue();
    assertThat(splitHalf.get("mean_half_correlation").isNull()).as(splitHalf.toString()).isTrue();
  }

  @Test
  void withoutStandardErrorsThereAreNoRankIntervals() throws IOException {
    Path csv = file("plain.csv", PLAIN);
    CliRun json = score(csv, "--no-se", "--format", "json");
    assertThat(json.exit()).as(json.err()).isZero();
    for (JsonNode essay : Json.mapper().readTree(json.out()).get("essays")) {
      assertThat(essay.get("rank_interval_95").isNull()).as(essay.toString()).isTrue();
    }
    CliRun csvOut = score(csv, "--no-se");
    assertThat(csvOut.out().lines().skip(1)).allSatisfy(row -> assertThat(row.split(",", -1)[4]).isEmpty());
  }

  @Test
  void anAnchorInNoComparisonIsAMistakeNotAnEssayAtThePriorsMean() throws IOException {
    Path anchors = file("anchors.csv", "essay_id,grade\na,A\nzz,F\n");
    oneLineExit2(score(file("plain.csv", PLAIN), "--anchors", anchors.toString()),
        "anchors.csv: anchor 'zz' in no comparison of ", "check the essay ids");
  }

  @Test
  void anUnknownScaleIsRefusedEvenWithoutAnchors() throws IOException {
    oneLineExit2(score(file("plain.csv", PLAIN), "--scale", "swedish"), "--scale swedish is unknown; valid scales:");
  }

  @Test
  void aReportOfScoresWithoutStandardErrorsSaysHowToGetThem() throws IOException {
    Path json = file("scores.json", score(file("plain.csv", PLAIN), "--no-se", "--format", "json").out());
    CliRun r = CliRun.run(Map.of(), "report", json.toString(), "--out", dir.resolve("r.html").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("cj report: essay ").contains("or of cj score without --no-se");
  }
}
