package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cj score}'s CSV goes into spreadsheets: an essay id or grade that starts like a formula (= + - @, tab, CR)
 * must come out as text (a leading '), while the scores the program computed, negative ones included, stay numbers.
 */
class ScoreCsvInjectionTest {

  @Test
  void formulaLeadingEssayIdsAreDefusedAndNumbersAreNot(@TempDir Path dir) throws Exception {
    Path comparisons = dir.resolve("comparisons.csv");
    Files.writeString(comparisons, """
        winner,loser
        =HYPERLINK(1),+b
        +b,@c
        @c,-d
        -d,safe
        safe,=HYPERLINK(1)
        =HYPERLINK(1),@c
        """);
    CliRun run = CliRun.run(Map.of(), "score", comparisons.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    List<String> rows = run.out().lines().skip(1).toList();
    assertThat(rows).hasSize(5);
    List<String> ids = rows.stream().map(r -> r.startsWith("\"") ? r.substring(1, r.indexOf('"', 1))
        : r.substring(0, r.indexOf(','))).toList();
    assertThat(ids).containsExactlyInAnyOrder("'=HYPERLINK(1)", "'+b", "'@c", "'-d", "safe");
    assertThat(run.out()).containsPattern(",-\\d"); // some score is negative and is written as a number
  }
}
