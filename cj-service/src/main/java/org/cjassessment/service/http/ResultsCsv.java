package org.cjassessment.service.http;

import java.util.List;
import java.util.Map;
import org.cjassessment.service.CsvCells;
import org.cjassessment.service.Json;

/**
 * Results as CSV: students by rank among students, then anchors (empty rank); grade probabilities as a JSON object in
 * one column; text cells defused against spreadsheet formulas ({@link CsvCells}).
 */
final class ResultsCsv {

  static final List<String> COLUMNS = List.of("essay_id", "rank", "score", "se", "comparisons", "wins", "infit",
      "outfit", "is_anchor", "grade", "grade_confidence", "confidence_label", "grade_probabilities");

  private ResultsCsv() {}

  static String write(List<Map<String, Object>> rows) {
    StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (Map<String, Object> row : rows) {
      for (int i = 0; i < COLUMNS.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        Object v = row.get(COLUMNS.get(i));
        out.append(cell(v));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String cell(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Map<?, ?> m) {
      return CsvCells.value(Json.write(m));
    }
    if (v instanceof Number || v instanceof Boolean) {
      return CsvCells.value(v.toString());
    }
    return CsvCells.text(v.toString()); // essay ids and grades come from the request: no formulas
  }
}
