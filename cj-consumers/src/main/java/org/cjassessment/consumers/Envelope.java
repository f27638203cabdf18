package org.cjassessment.consumers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cjassessment.inbox.InboxRecord;
import org.cjassessment.inbox.PoisonRecordException;

/**
 * Reads what the consumers need from an event envelope ({@code contracts/}). A missing or mistyped field is a
 * {@link PoisonRecordException} naming the field — never its value, which could be student text.
 */
public final class Envelope {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final JsonNode root;

  private Envelope(JsonNode root) {
    this.root = root;
  }

  public static Envelope of(InboxRecord record) {
    try {
      JsonNode root = JSON.readTree(record.value());
      if (root == null || !root.isObject() || !root.path("data").isObject()) {
        throw new PoisonRecordException("not an event envelope: expected a JSON object with a data object");
      }
      return new Envelope(root);
    } catch (IOException e) {
      throw new PoisonRecordException("not JSON: " + e.getClass().getSimpleName());
    }
  }

  public JsonNode data() {
    return root.get("data");
  }

  public String sourceService() {
    return text(root, "source_service");
  }

  /** A required non-blank string field of {@code data} (a number is accepted as its text: job ids are "1"). */
  public String require(String field) {
    return text(data(), field);
  }

  /** An optional string field of {@code data}: null when absent or null. */
  public String optional(String field) {
    JsonNode n = data().path(field);
    return n.isTextual() || n.isNumber() ? n.asText() : null;
  }

  public JsonNode requireArray(JsonNode parent, String field, String path) {
    JsonNode n = parent.path(field);
    if (!n.isArray()) {
      throw new PoisonRecordException(path + " must be an array");
    }
    return n;
  }

  public static long requireNonNegativeLong(JsonNode parent, String field, String path) {
    JsonNode n = parent.path(field);
    if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
      throw new PoisonRecordException(path + " must be a whole number >= 0");
    }
    return n.asLong();
  }

  static String text(JsonNode parent, String field) {
    JsonNode n = parent.path(field);
    if (!(n.isTextual() || n.isIntegralNumber()) || n.asText().isBlank()) {
      throw new PoisonRecordException("field " + field + " is missing or not a non-empty string");
    }
    return n.asText();
  }

  /** SHA-256 of the canonical JSON (keys sorted) of {@code node}: equal content, equal fingerprint. */
  public static String fingerprint(JsonNode node) {
    try {
      Object plain = CANONICAL.treeToValue(node, Object.class); // maps, so that key order is normalised
      byte[] bytes = CANONICAL.writeValueAsBytes(plain);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint a JSON node", e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
