package org.cjassessment.testing.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request a fake provider received, for assertions.
 *
 * @param headers lower-cased names
 * @param json the body parsed, or null when it was not JSON
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body,
    JsonNode json, Instant receivedAt) {

  /** The first value of a header (case-insensitive), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
