package org.cjassessment.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.DisallowUnknownKeywordFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JSON Schemas under {@code contracts/} (one per topic, draft 2020-12), loaded with networknt's validator:
 * format assertions on (uuid, date-time are checked, not just annotations) and unknown keywords rejected, so a typo
 * such as {@code "minimun"} fails loudly instead of silently constraining nothing.
 */
final class EventContracts {

  static final String SUFFIX = ".schema.json";

  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
      .formatAssertionsEnabled(true)
      .build();

  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
      b -> b.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
          .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance())
          .build()));

  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private EventContracts() {}

  /** {@code contracts/} at the repository root, found from the module directory the tests run in. */
  static Path directory() {
    Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("contracts")) && Files.exists(p.resolve("pom.xml"))) {
        return p.resolve("contracts");
      }
    }
    throw new IllegalStateException("no contracts/ directory above " + dir);
  }

  /** Topic (= event_type) → schema file, for every schema in the directory. */
  static Map<String, Path> files() {
    try (Stream<Path> list = Files.list(directory())) {
      return list.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .collect(Collectors.toMap(p -> p.getFileName().toString().replace(SUFFIX, ""), p -> p, (a, b) -> a,
              TreeMap::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode schemaJson(String topic) {
    try {
      return Json.mapper().readTree(file(topic).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonSchema schema(String topic) {
    return SCHEMAS.computeIfAbsent(topic, t -> FACTORY.getSchema(schemaJson(t), CONFIG));
  }

  /** The validation errors of an event against its topic's schema (empty = valid), one line each. */
  static List<String> errors(String topic, JsonNode event) {
    Set<ValidationMessage> messages = schema(topic).validate(event);
    return messages.stream().map(ValidationMessage::toString).sorted().toList();
  }

  static List<String> errors(String topic, byte[] event) {
    try {
      return errors(topic, Json.mapper().readTree(event));
    } catch (IOException e) {
      return List.of("not JSON: " + e.getMessage());
    }
  }

  /** Validation errors of a schema file against the draft 2020-12 meta-schema (bundled with the validator). */
  static List<String> metaSchemaErrors(String topic) {
    JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"), CONFIG);
    return meta.validate(schemaJson(topic)).stream().map(ValidationMessage::toString).sorted().toList();
  }

  /** Throws naming the event and every violation if any of the events does not match its topic's schema. */
  static void assertValid(List<ServiceHarness.OutboxEvent> events) {
    StringBuilder failures = new StringBuilder();
    for (ServiceHarness.OutboxEvent e : events) {
      List<String> errors = errors(e.eventType(), e.payload());
      if (!errors.isEmpty()) {
        failures.append("\n  ").append(e.eventType()).append(" (outbox id ").append(e.id()).append(", aggregate ")
            .append(e.aggregateId()).append("): ").append(String.join("; ", errors));
      }
    }
    if (failures.length() > 0) {
      throw new AssertionError("events that break their contract (contracts/*.schema.json):" + failures);
    }
  }

  private static Path file(String topic) {
    Path p = directory().resolve(topic + SUFFIX);
    if (!Files.exists(p)) {
      throw new IllegalArgumentException("no contract for event type '" + topic + "': expected " + p);
    }
    return p;
  }
}
