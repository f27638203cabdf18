package org.cjassessment.app.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seed's log check over JSON logs of {@code cj serve} ({@code CJ_LOG_APPENDER=JSON}): per batch, how many
 * {@code batch.finalized} lines (cj-service's FinalizationLog, by {@code batch_id}) and how many {@code event.published}
 * lines for the audited event type (cj-outbox's PublicationLog, by {@code message_key}, the record key: the upstream
 * batch id for completion events). A batch with more than one of either is flagged. Lines that are not JSON objects
 * are counted and skipped.
 */
public final class LogAudit {

  /** The fields both log events use (see README, "Log events"). */
  public static final String LOG_EVENT = "log_event";
  public static final String BATCH_FINALIZED = "batch.finalized";
  public static final String EVENT_PUBLISHED = "event.published";

  public record Counts(int finalizations, int publications) {
    public boolean flagged() {
      return finalizations > 1 || publications > 1;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String eventType;
  private final Map<String, int[]> perBatch = new TreeMap<>();
  private long lines;
  private long skipped;

  public LogAudit(String eventType) {
    this.eventType = eventType;
  }

  public void read(BufferedReader in) throws IOException {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lines++;
      JsonNode n;
      try {
        n = line.isBlank() ? null : JSON.readTree(line);
      } catch (IOException e) {
        n = null;
      }
      if (n == null || !n.isObject()) {
        skipped++;
        continue;
      }
      String kind = n.path(LOG_EVENT).asText("");
      if (kind.equals(BATCH_FINALIZED) && n.path("batch_id").isTextual()) {
        perBatch.computeIfAbsent(n.get("batch_id").asText(), k -> new int[2])[0]++;
      } else if (kind.equals(EVENT_PUBLISHED) && eventType.equals(n.path("event_type").asText())
          && n.path("message_key").isTextual()) {
        perBatch.computeIfAbsent(n.get("message_key").asText(), k -> new int[2])[1]++;
      }
    }
  }

  public Map<String, Counts> perBatch() {
    Map<String, Counts> out = new TreeMap<>();
    perBatch.forEach((k, v) -> out.put(k, new Counts(v[0], v[1])));
    return out;
  }

  public long lines() {
    return lines;
  }

  public long skipped() {
    return skipped;
  }

  public long flagged() {
    return perBatch().values().stream().filter(Counts::flagged).count();
  }
}
