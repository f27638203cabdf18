package org.cjassessment.app.assess;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.cjassessment.app.CsvTable;
import org.cjassessment.app.UserInputException;
import org.cjassessment.service.batch.EssayInput;

/** {@code essay_id,ability}: the hidden true ability (logits) of each essay, for the simulated judge and Spearman. */
public final class TruthFile {

  private TruthFile() {}

  /** @throws UserInputException for a bad row, or an essay of {@code essays} with no ability */
  public static Map<String, Double> read(Path csv, java.util.List<EssayInput> essays) {
    Map<String, Double> truth = new TreeMap<>();
    for (CsvTable.Row row : CsvTable.read(csv, "essay_id", "ability").rows()) {
      String id = row.get("essay_id");
      double ability;
      try {
        ability = Double.parseDouble(row.get("ability"));
      } catch (NumberFormatException e) {
        throw new UserInputException(csv + " line " + row.line() + ": ability '" + row.get("ability")
            + "' is not a number");
      }
      if (id.isEmpty() || !Double.isFinite(ability)) {
        throw new UserInputException(csv + " line " + row.line() + ": needs an essay_id and a finite ability");
      }
      if (truth.put(id, ability) != null) {
        throw new UserInputException(csv + " line " + row.line() + ": essay '" + id + "' is listed twice");
      }
    }
    java.util.List<String> missing = essays.stream().map(EssayInput::essayId).filter(id -> !truth.containsKey(id))
        .sorted().toList();
    if (!missing.isEmpty()) {
      throw new UserInputException(csv + ": no ability for "
          + (missing.size() == 1 ? "essay " : missing.size() + " essays: ")
          + missing.stream().limit(5).collect(Collectors.joining(", "))
          + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : "")
          + " (the simulated judge needs one for every essay, anchors included)");
    }
    return truth;
  }
}
