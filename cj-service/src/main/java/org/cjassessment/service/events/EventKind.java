package org.cjassessment.service.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** The kinds of events a batch emits, with their deterministic ids. */
public enum EventKind {
  COMPLETED("huleedu.cj_assessment.completed.v1"),
  FAILED("huleedu.cj_assessment.failed.v1"),
  RESULT_PUBLISHED("huleedu.assessment.result.published.v1"),
  RESOURCE_CONSUMPTION("huleedu.resource.consumption.v1"),
  COMPARISON_REQUESTED("huleedu.cj_assessment.comparison_requested.v1");

  /** Namespace of every cj-assessment event id (a fixed, random UUID). */
  public static final UUID NAMESPACE = UUID.fromString("6f1c3c2e-8f0d-4c55-9a43-2b7a2f2d1e10");

  private final String defaultTopic;

  EventKind(String defaultTopic) {
    this.defaultTopic = defaultTopic;
  }

  /** The upstream event_type / default topic. */
  public String defaultTopic() {
    return defaultTopic;
  }

  /** UUIDv5(namespace, "cj:" + batchId + ":" + kind): the same batch and kind always give the same id. */
  public UUID eventId(String batchId) {
    return nameBased(NAMESPACE, "cj:" + batchId + ":" + name().toLowerCase(java.util.Locale.ROOT));
  }

  /** For per-comparison events: one id per comparison and dispatch attempt. */
  public UUID eventId(String batchId, String qualifier) {
    return nameBased(NAMESPACE, "cj:" + batchId + ":" + name().toLowerCase(java.util.Locale.ROOT) + ":" + qualifier);
  }

  /** RFC 4122 version 5 (SHA-1) name-based UUID. */
  public static UUID nameBased(UUID namespace, String name) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(toBytes(namespace));
      byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
      hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
      hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
      long msb = 0;
      long lsb = 0;
      for (int i = 0; i < 8; i++) {
        msb = (msb << 8) | (hash[i] & 0xff);
        lsb = (lsb << 8) | (hash[i + 8] & 0xff);
      }
      return new UUID(msb, lsb);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
  }

  private static byte[] toBytes(UUID uuid) {
    byte[] out = new byte[16];
    long msb = uuid.getMostSignificantBits();
    long lsb = uuid.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (msb >>> (56 - 8 * i));
      out[i + 8] = (byte) (lsb >>> (56 - 8 * i));
    }
    return out;
  }
}
