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

class ReportCommandTest {

  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    CommandLine cli = CjCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void rendersTheOutputOfCjScoreNextToIt() throws IOException {
    Run score = run("score", "../examples/medium30-comparisons.csv", "--anchors", "../examples/medium30-anchors.csv",
        "--format", "json");
    Path results = Files.writeString(dir.resolve("results.json"), score.out());
    Run r = run("report", results.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Path page = dir.resolve("report.html");
    assertThat(r.out().strip()).isEqualTo(page.toAbsolutePath().toString());
    String html = Files.readString(page);
    assertThat(html).contains("<svg id=\"chart\"", "id=\"bands\"", "Scale separation reliability");
    assertThat(html.split("<tr").length - 1).isEqualTo(31); // header + 30 essays
  }

  @Test
  void badInputExitsWithTwoAndOneLineThatQuotesNothingOfTheFile() throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"essays\": [ Dear diary, my secret");
    Run r = run("report", broken.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is not valid JSON").doesNotContain("diary").doesNotContain("secret");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);

    Run missing = run("report", dir.resolve("nope.json").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file");

    Run noEssays = run("report", Files.writeString(dir.resolve("x.json"), "{\"batch_id\": \"b\"}").toString());
    assertThat(noEssays.exit()).isEqualTo(2);
    assertThat(noEssays.err()).contains("no \"essays\" array");
  }
}
