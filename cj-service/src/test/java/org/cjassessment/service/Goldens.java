package org.cjassessment.service;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Golden event fixtures under {@code src/test/resources/golden/} (read from the source tree, so a regenerated file
 * is what the next run compares against). Run with {@code -Dgolden.update=true} to rewrite the generated ones from
 * what the code produces now; review the diff before committing it.
 */
final class Goldens {

  static final boolean UPDATE = Boolean.getBoolean("golden.update");

  /** Relative tolerance for numbers: fits may differ in the last bits across JVMs and CPUs, never more. */
  private static final double TOLERANCE = 1e-9;

  private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withObjectEmptySeparator("").withArrayEmptySeparator(""))
      .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);

  private Goldens() {}

  static Path directory() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath()
        .resolve("src/test/resources/golden");
  }

  static Path file(String name) {
    return directory().resolve(name + ".json");
  }

  static JsonNode read(String name) {
    try {
      return Json.mapper().readTree(file(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden " + file(name)
          + " (generate it with -Dgolden.update=true)", e);
    }
  }

  static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(file(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(String name, JsonNode json) {
    try {
      Files.createDirectories(directory());
      String text = Json.mapper().writer(PRINTER).writeValueAsString(json) + "\n";
      Files.writeString(file(name), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compares the (normalised) event the code produced with its golden file.
   *
   * @return the first difference as "path: expected …, got …", empty if they match
   */
  static Optional<String> check(String name, JsonNode actual) {
    return difference("", read(name), actual);
  }

  /** Structural comparison: objects by key (order-insensitive), arrays in order, numbers within the tolerance. */
  static Optional<String> difference(String path, JsonNode expected, JsonNode actual) {
    if (expected.isNumber() && actual.isNumber()) {
      double e = expected.doubleValue();
      double a = actual.doubleValue();
      boolean close = Math.abs(e - a) <= TOLERANCE * Math.max(1, Math.max(Math.abs(e), Math.abs(a)));
      return close && expected.isIntegralNumber() == actual.isIntegralNumber() ? Optional.empty()
          : Optional.of(path + ": expected " + expected + ", got " + actual);
    }
    if (expected.getNodeType() != actual.getNodeType()) {
      return Optional.of(path + ": expected " + expected + ", got " + actual);
    }
    if (expected.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      expected.fieldNames().forEachRemaining(keys::add);
      actual.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        if (!expected.has(key) || !actual.has(key)) {
          return Optional.of(path + "/" + key + ": " + (expected.has(key) ? "missing" : "unexpected") + " field");
        }
        Optional<String> d = difference(path + "/" + key, expected.get(key), actual.get(key));
        if (d.isPresent()) {
          return d;
        }
      }
      return Optional.empty();
    }
    if (expected.isArray()) {
      if (expected.size() != actual.size()) {
        return Optional.of(path + ": expected " + expected.size() + " elements, got " + actual.size());
      }
      Iterator<JsonNode> e = expected.elements();
      Iterator<JsonNode> a = actual.elements();
      for (int i = 0; e.hasNext(); i++) {
        Optional<String> d = difference(path + "/" + i, e.next(), a.next());
        if (d.isPresent()) {
          return d;
        }
      }
      return Optional.empty();
    }
    return expected.equals(actual) ? Optional.empty()
        : Optional.of(path + ": expected " + expected + ", got " + actual);
  }
}
