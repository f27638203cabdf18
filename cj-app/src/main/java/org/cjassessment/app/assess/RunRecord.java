package org.cjassessment.app.assess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cjassessment.app.UserInputException;
import org.cjassessment.service.Json;
import org.cjassessment.service.batch.EssayInput;

/**
 * The identity of a {@code cj assess} run, kept in {@code OUT/run.json}: a hash of everything that defines the
 * assessment (essay ids and texts, anchor grades, scale, budget, prompt, rubric, judge provider) and the batch id
 * derived from it. Running again with the same {@code --out} and the same inputs continues that batch; different
 * inputs in an output directory that holds a run are refused rather than mixed into it.
 */
public record RunRecord(String batchId, String inputsSha256) {

  private static final String FILE = "run.json";

  /** The record the given inputs define. */
  public static RunRecord of(List<EssayInput> essays, String scale, int budget, String prompt, String rubric,
      String judgeProvider) {
    MessageDigest digest = sha256();
    for (EssayInput e : essays.stream().sorted(java.util.Comparator.comparing(EssayInput::essayId)).toList()) {
      update(digest, "essay", e.essayId(), e.anchorGrade() == null ? "" : e.anchorGrade(), e.text());
    }
    update(digest, "scale", scale, "budget", Integer.toString(budget), "prompt", prompt == null ? "" : prompt,
        "rubric", rubric == null ? "" : rubric, "judge", judgeProvider);
    String hash = HexFormat.of().formatHex(digest.digest());
    return new RunRecord("assess-" + hash.substring(0, 16), hash);
  }

  public String requestEventId() {
    return batchId + "-request";
  }

  /** Fixed for the run, so every event of a resumed run carries the same correlation id. */
  public UUID correlationId() {
    return UUID.nameUUIDFromBytes(inputsSha256.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * This record, after checking it against the one {@code out} holds: writes it when there is none.
   *
   * @return true when {@code out} already held this run (a resume)
   * @throws UserInputException when {@code out} holds a run of other inputs
   */
  public boolean claim(Path out) {
    Path file = out.resolve(FILE);
    try {
      Files.createDirectories(out);
      if (Files.exists(file)) {
        JsonNode stored = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        if (stored != null && inputsSha256.equals(stored.path("inputs_sha256").asText())) {
          return true;
        }
        throw new UserInputException(out + " holds a run of other inputs (batch "
            + (stored == null ? "?" : stored.path("batch_id").asText("?")) + "); the essays, anchors, scale, "
            + "budget, prompt, rubric or judge changed. Use another --out, or delete " + out + " to start over");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("batch_id", batchId);
      m.put("inputs_sha256", inputsSha256);
      m.put("created_at", java.time.Instant.now().toString());
      Path staging = out.resolve(FILE + ".tmp");
      Files.writeString(staging, Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(m), StandardCharsets.UTF_8);
      Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return false;
    } catch (IOException e) {
      throw new UserInputException("cannot use " + out + " as the output directory ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }

  private static void update(MessageDigest digest, String... parts) {
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
      digest.update((byte) ':');
      digest.update(bytes);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
