package org.cjassessment.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.InvalidComparisonException;

/**
 * Reads COMPARISONS.csv: header with at least winner,loser; optional first_shown, judge and winner_probability (the
 * judge's probability in [0, 1] that the winner is better, a soft outcome; empty = a hard judgement).
 */
final class ComparisonsCsv {

  private ComparisonsCsv() {}

  static List<Comparison> read(Path path) {
    CsvTable table = CsvTable.read(path, "winner", "loser");
    List<Comparison> comparisons = new ArrayList<>(table.rows().size());
    for (CsvTable.Row row : table.rows()) {
      String winner = row.get("winner");
      String loser = row.get("loser");
      if (winner.isEmpty() || loser.isEmpty()) {
        throw new UserInputException(
            path + " line " + row.line() + ": empty " + (winner.isEmpty() ? "winner" : "loser"));
      }
      String probability = row.get("winner_probability");
      double p;
      try {
        p = probability.isEmpty() ? 1.0 : Double.parseDouble(probability);
      } catch (NumberFormatException e) {
        throw new UserInputException(path + " line " + row.line() + ": winner_probability '" + probability
            + "' is not a number in [0, 1]", e);
      }
      try {
        comparisons.add(new Comparison(winner, loser, row.get("first_shown"), row.get("judge"), p));
      } catch (InvalidComparisonException e) {
        throw new UserInputException(path + " line " + row.line() + ": " + e.getMessage(), e);
      }
    }
    return comparisons;
  }
}
