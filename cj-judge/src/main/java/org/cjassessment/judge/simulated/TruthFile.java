package org.cjassessment.judge.simulated;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a truth file: CSV {@code essay_id,ability} (a header line is optional), one essay per line. */
public final class TruthFile {

  private TruthFile() {}

  /** @throws IllegalArgumentException naming the file and line of the first bad entry */
  public static Map<String, Double> load(Path path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read truth file " + path + ": " + e.getMessage());
    }
    Map<String, Double> truth = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.toLowerCase().startsWith("essay_id"))) {
        continue;
      }
      int comma = line.lastIndexOf(',');
      String where = path + " line " + (i + 1);
      if (comma <= 0) {
        throw new IllegalArgumentException(where + ": expected essay_id,ability");
      }
      String id = unquote(line.substring(0, comma).strip());
      double ability;
      try {
        ability = Double.parseDouble(line.substring(comma + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where + ": ability '" + line.substring(comma + 1).strip()
            + "' is not a number");
      }
      if (!Double.isFinite(ability)) {
        throw new IllegalArgumentException(where + ": ability must be finite");
      }
      if (truth.put(id, ability) != null) {
        throw new IllegalArgumentException(where + ": essay " + id + " appears twice");
      }
    }
    if (truth.size() < 2) {
      throw new IllegalArgumentException("truth file " + path + " has " + truth.size()
          + " essays; the simulated judge needs at least 2");
    }
    return truth;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }
}
