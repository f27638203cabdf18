package org.cjassessment.app.assess;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cjassessment.app.CsvTable;
import org.cjassessment.app.UserInputException;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.service.batch.EssayInput;

/**
 * The essays of {@code cj assess}: every {@code .txt}/{@code .md} file of a folder (id = file name without the
 * extension), anchors named by an {@code essay_id,grade} CSV and found in the same folder or an anchors folder.
 *
 * <p>A file that cannot be assessed (empty, not UTF-8 text, longer than the limit) <b>refuses the whole run</b>,
 * with every such file named in one line: an essay silently left out of a cohort's ranking is worse than a stop,
 * and the run's identity (what a resume continues) is the set of essays. Messages never quote essay text.
 */
public final class EssayFolder {

  /** The essays in file-name order: students, then anchors; {@code anchorGrades} by essay id. */
  public record Contents(List<EssayInput> essays, Map<String, String> anchorGrades, GradeScale scale) {
    public long students() {
      return essays.stream().filter(e -> !e.isAnchor()).count();
    }
  }

  /** The service's limit on essay ids (BatchRequestValidator); here the id is the file name. */
  static final int MAX_ID_CHARS = 200;

  private EssayFolder() {}

  /**
   * @param anchorsCsv null for no anchors
   * @param anchorsDir where the anchor files are; null = {@code essaysDir}
   * @param maxChars longer essays are refused (the service's {@code CJ_MAX_ESSAY_CHARS})
   * @throws UserInputException for every mistake, naming the file
   */
  public static Contents read(Path essaysDir, Path anchorsCsv, Path anchorsDir, String scaleId, int maxChars) {
    GradeScale scale = GradeScale.findById(scaleId).orElseThrow(() -> new UserInputException(
        "--scale " + scaleId + " is unknown; valid scales: " + String.join(", ", GradeScale.ids())));
    Map<String, String> anchorGrades = anchorsCsv == null ? Map.of() : anchorGrades(anchorsCsv, scale);
    List<String> problems = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    Map<String, String> texts = texts(essaysDir, maxChars, problems, ignored);
    Map<String, String> anchorTexts = anchorsDir == null || sameFolder(anchorsDir, essaysDir) ? texts
        : texts(anchorsDir, maxChars, problems, new ArrayList<>());
    if (!problems.isEmpty()) {
      throw new UserInputException(problems.size() + (problems.size() == 1 ? " file" : " files")
          + " cannot be assessed: " + String.join("; ", problems) + " (fix or remove them, then run again)");
    }
    List<EssayInput> essays = new ArrayList<>();
    texts.forEach((id, text) -> {
      if (!anchorGrades.containsKey(id)) {
        essays.add(EssayInput.student(id, text));
      }
    });
    for (Map.Entry<String, String> anchor : anchorGrades.entrySet()) {
      String text = anchorTexts.get(anchor.getKey());
      if (text == null) {
        String id = anchor.getKey();
        String bare = id.replaceFirst("(?i)\\.(txt|md)$", "");
        throw new UserInputException(anchorsCsv + ": anchor '" + id + "' has no essay file " + id + ".txt or .md in "
            + (anchorsDir == null ? essaysDir : anchorsDir)
            + (bare.equals(id) ? "" : " (the essay id is the file name without its extension: '" + bare + "')"));
      }
      if (anchorTexts != texts && texts.containsKey(anchor.getKey())) {
        throw new UserInputException("'" + anchor.getKey() + "' is both a student essay in " + essaysDir
            + " and an anchor in " + anchorsDir + "; rename one of them");
      }
      essays.add(EssayInput.anchor(anchor.getKey(), text, anchor.getValue()));
    }
    long students = essays.stream().filter(e -> !e.isAnchor()).count();
    if (students < 2) {
      throw new UserInputException(essaysDir + ": " + students + " student essay" + (students == 1 ? "" : "s")
          + " (.txt or .md files that are not anchors); comparative judgement needs at least 2" + ignored(ignored));
    }
    return new Contents(List.copyOf(essays), anchorGrades, scale);
  }

  private static Map<String, String> anchorGrades(Path csv, GradeScale scale) {
    Map<String, String> grades = new TreeMap<>();
    for (CsvTable.Row row : CsvTable.read(csv, "essay_id", "grade").rows()) {
      String id = row.get("essay_id");
      String grade = row.get("grade");
      if (id.isEmpty()) {
        throw new UserInputException(csv + " line " + row.line() + ": empty essay_id");
      }
      if (!scale.isValid(grade)) {
        throw new UserInputException(csv + " line " + row.line() + ": grade '" + grade + "' of anchor '" + id
            + "' is not on scale " + scale.id() + " (" + String.join(", ", scale.allGrades()) + ")");
      }
      if (grades.put(id, grade) != null) {
        throw new UserInputException(csv + " line " + row.line() + ": anchor '" + id + "' is listed twice");
      }
    }
    return grades;
  }

  /** ./essays, essays/ and /abs/essays are one folder (Path.equals compares the spelling). */
  private static boolean sameFolder(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize()); // one of them does not exist
    }
  }

  /** Files that are not read, named when a folder turns out to hold too few essays (a folder of .docx files). */
  private static String ignored(List<String> ignored) {
    if (ignored.isEmpty()) {
      return "";
    }
    return "; not read: " + String.join(", ", ignored.subList(0, Math.min(5, ignored.size())))
        + (ignored.size() > 5 ? " and " + (ignored.size() - 5) + " more" : "")
        + " (save essays as UTF-8 .txt or .md files)";
  }

  /** Essay id → text of every .txt/.md file; problems collected by file name, other files in {@code ignored}. */
  private static Map<String, String> texts(Path dir, int maxChars, List<String> problems, List<String> ignored) {
    if (!Files.isDirectory(dir)) {
      throw new UserInputException(dir + ": " + (Files.exists(dir) ? "is not a directory" : "no such directory"));
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> all = list.sorted().toList();
      files = all.stream().filter(EssayFolder::isEssayFile).toList();
      all.stream().filter(f -> !isEssayFile(f) && Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")
          && !f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
          .forEach(f -> ignored.add(f.getFileName().toString()));
    } catch (IOException e) {
      throw new UserInputException(dir + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    Map<String, String> texts = new LinkedHashMap<>();
    Map<String, Path> seen = new TreeMap<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      String id = name.substring(0, name.lastIndexOf('.'));
      if (id.length() > MAX_ID_CHARS) {
        // the service's limit on essay ids; refused here, before anything starts, with the file named
        problems.add(name.substring(0, 40) + "... (essay id of " + id.length() + " characters, more than the limit of "
            + MAX_ID_CHARS + ": shorten the file name)");
        continue;
      }
      Path other = seen.put(id, file);
      if (other != null) {
        problems.add(name + " (same essay id '" + id + "' as " + other.getFileName() + ")");
        continue;
      }
      readText(file, maxChars, problems).ifPresent(text -> texts.put(id, text));
    }
    return texts;
  }

  private static boolean isEssayFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return !name.startsWith(".") && (name.endsWith(".txt") || name.endsWith(".md")) && Files.isRegularFile(file);
  }

  private static java.util.Optional<String> readText(Path file, int maxChars, List<String> problems) {
    String name = file.getFileName().toString();
    byte[] bytes;
    try {
      // a byte limit first, so a huge file is never read whole (UTF-8 has at most 4 bytes per character)
      if (Files.size(file) > 4L * maxChars) {
        problems.add(name + " (" + Files.size(file) + " bytes, more than the limit of " + maxChars + " characters)");
        return java.util.Optional.empty();
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      problems.add(name + " (cannot be read: " + e.getClass().getSimpleName() + ")");
      return java.util.Optional.empty();
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      problems.add(name + " (not UTF-8 text)");
      return java.util.Optional.empty();
    }
    if (text.indexOf('\0') >= 0) {
      problems.add(name + " (binary: contains NUL bytes)");
      return java.util.Optional.empty();
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // a byte-order mark is not part of the essay
    }
    if (text.isBlank()) {
      problems.add(name + " (empty)");
      return java.util.Optional.empty();
    }
    // Code points, as the service counts them (an emoji is one character, two UTF-16 units)
    if (text.length() > maxChars && text.codePointCount(0, text.length()) > maxChars) {
      problems.add(name + " (" + text.codePointCount(0, text.length()) + " characters, more than the limit of "
          + maxChars + ")");
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(text);
  }
}
