package org.cjassessment.service.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cjassessment.service.Json;

/**
 * What makes two requests for the same batch id "the same request": SHA-256 over a canonical JSON of everything that
 * changes the assessment — essays (id, text, anchor grade) in essay-id order, grade scale, effective budget, language,
 * assignment context, LLM overrides and the pair selector when the request names one. Not the event id, correlation id or timestamps (a re-publish changes them),
 * nor the billing identity, nor where a text came from (inline or from the content store).
 */
public final class RequestFingerprint {

  private RequestFingerprint() {}

  /** @param budget the effective budget (the default filled in), so that "omitted" and "the default" agree */
  public static String of(BatchRequest r, int budget) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("grade_scale", r.gradeScale());
    m.put("budget", budget);
    m.put("language", r.language());
    m.put("assignment_context", r.assignmentContext());
    m.put("llm_config_overrides", new TreeMap<>(r.llmConfigOverrides()));
    if (r.pairSelector() != null) {
      // Only when named: a request that leaves the selector to the service hashes as it did before selectors could
      // be chosen per request, so batches stored then are still recognised.
      m.put("pair_selector", r.pairSelector());
    }
    List<List<String>> essays = r.essays().stream()
        .sorted(Comparator.comparing(EssayInput::essayId))
        .map(e -> java.util.Arrays.asList(e.essayId(), e.anchorGrade(), sha256(e.text())))
        .toList();
    m.put("essays", essays);
    return "sha256:" + sha256(Json.write(m));
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
