package org.cjassessment.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.InvalidComparisonException;

/** Reads COMPARISONS.csv: header with at least winner,loser; optional first_shown and judge. */
final class ComparisonsCsv {

  private ComparisonsCsv() {}

  static List<Comparison> read(Path path) {
    CsvTable table = CsvTable.read(path, "winner", "loser");
    List<Comparison> comparisons = new ArrayList<>(table.rows().size());
    for (CsvTable.Row row : table.rows()) {
      String winner = row.get("winner");
      String loser = row.get("loser");
      if (winner.isEmpty() || loser.isEmpty()) {
        throw new UserInputException(path + " line " + row.line() + ": empty " + (winner.isEmpty() ? "winner" : "loser"));
      }
      try {
        comparisons.add(new Comparison(winner, loser, row.get("first_shown"), row.get("judge")));
      } catch (InvalidComparisonException e) {
        throw new UserInputException(path + " line " + row.line() + ": " + e.getMessage(), e);
      }
    }
    return comparisons;
  }
}
