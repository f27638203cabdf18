package org.cjassessment.service.http;

import java.util.List;
import java.util.Map;

/** Results as CSV: one row per essay, best first; grade probabilities as a JSON object in one column. */
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
    String s;
    if (v instanceof Map<?, ?> m) {
      s = org.cjassessment.service.Json.write(m);
    } else {
      s = v.toString();
    }
    boolean quote = s.contains(",") || s.contains("\"") || s.contains("\n");
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
