package org.cjassessment.judge.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.cjassessment.judge.PairToJudge;

/**
 * The judge's prompt: one instruction block (assignment, rubric, instructions) that is the same for every pair of a
 * batch — first, so providers can cache it — then the two essays as "Essay A" and "Essay B". The model never sees
 * essay ids, anchor status or grades: {@link #render} reads only the texts of the pair.
 *
 * <p>A request's own assignment context replaces the configured assignment prompt, and its
 * {@code judge_rubric_override} the configured rubric. The hash is SHA-256 over the rendered instruction block and
 * the essay frame without the essays, so two results with the same hash were asked the same question.
 */
public final class PromptTemplate {

  /** Distinct (assignment, rubric) blocks kept rendered; one per live batch is plenty. */
  private static final int CACHE_LIMIT = 256;

  static final String NO_ASSIGNMENT =
      "No assignment prompt was given: judge the essays as pieces of student writing on the same task.";
  static final String ESSAY_FRAME = "Essay A:\n<essay>\n%s\n</essay>\n\nEssay B:\n<essay>\n%s\n</essay>";

  /** A rendered prompt: the cacheable instruction block, the user message with both essays, and the hash. */
  public record Rendered(String instructions, String essays, String hash) {}

  private final String assignment;
  private final String rubric;
  private final String instructions;
  private final Map<String, String[]> blocks = new ConcurrentHashMap<>();

  private PromptTemplate(String assignment, String rubric, String instructions) {
    this.assignment = assignment;
    this.rubric = Objects.requireNonNull(rubric, "rubric");
    this.instructions = Objects.requireNonNull(instructions, "instructions");
  }

  /** The built-in rubric and instructions; the assignment comes from each request. */
  public static PromptTemplate defaults() {
    return new PromptTemplate(null, resource("rubric.txt"), resource("instructions.txt"));
  }

  /** Files replace the defaults one by one; a null path keeps the default. */
  public static PromptTemplate fromFiles(Path assignment, Path rubric, Path instructions) {
    PromptTemplate d = defaults();
    return new PromptTemplate(assignment == null ? null : read(assignment),
        rubric == null ? d.rubric : read(rubric), instructions == null ? d.instructions : read(instructions));
  }

  public static PromptTemplate of(String assignment, String rubric, String instructions) {
    return new PromptTemplate(assignment, rubric, instructions);
  }

  public Rendered render(PairToJudge pair) {
    String a = pair.assignmentContext().orElse(assignment == null ? NO_ASSIGNMENT : assignment);
    String r = pair.rubric().orElse(rubric);
    String key = a + '\u0000' + r;
    String[] block = blocks.get(key);
    if (block == null) {
      if (blocks.size() >= CACHE_LIMIT) {
        blocks.clear();
      }
      String text = "# Assignment\n" + a.strip() + "\n\n# Rubric\n" + r.strip() + "\n\n# Your task\n"
          + instructions.strip();
      block = new String[] {text, sha256(text + '\u0000' + ESSAY_FRAME)};
      blocks.put(key, block);
    }
    return new Rendered(block[0], ESSAY_FRAME.formatted(pair.essayAText().strip(), pair.essayBText().strip()),
        block[1]);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static String read(Path path) {
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8);
      if (text.isBlank()) {
        throw new IllegalArgumentException("prompt file " + path + " is empty");
      }
      return text;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read prompt file " + path + ": " + e.getMessage());
    }
  }

  private static String resource(String name) {
    try (InputStream in = PromptTemplate.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
