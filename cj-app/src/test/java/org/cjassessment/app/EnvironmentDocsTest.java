package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@code CJ_*} variables the code reads and the ones README.md documents are the same set (settings declared once,
 * as Kafka's {@code ProducerConfig} does it, is the alternative; until then this test keeps the two in step).
 *
 * <p>"The code reads": string literals {@code "CJ_..."} in every module's main Java sources, {@code ${CJ_...}} in main
 * resources (logback.xml) and in the {@code ./cj} launcher. "Documented": every {@code CJ_...} name in README.md,
 * except a name followed by {@code *} (a family, e.g. {@code CJ_JUDGE_*}) and the words below that are not variables.
 */
class EnvironmentDocsTest {

  private static final Path ROOT = Path.of("..");

  private static final Pattern JAVA_LITERAL = Pattern.compile("\"(CJ_[A-Z0-9_]*[A-Z0-9])\"");
  private static final Pattern SHELL_OR_XML_REFERENCE = Pattern.compile("\\$\\{?(CJ_[A-Z0-9_]*[A-Z0-9])");
  private static final Pattern README_NAME = Pattern.compile("(CJ_[A-Z0-9_]*[A-Z0-9])(?![A-Z0-9_]*\\*)");

  /** CJ_-prefixed words in README.md that are not environment variables (upstream phase outcomes). */
  private static final Set<String> NOT_VARIABLES = Set.of("CJ_SUCCESS", "CJ_FAILED");

  /**
   * Read by code whose README section is still being written by another change; each entry names who documents it.
   * The test fails when an entry becomes documented, so the list only shrinks.
   */
  private static final Map<String, String> PENDING_DOCUMENTATION = Map.of();

  @Test
  void every_variable_the_code_reads_is_documented_in_the_readme_and_the_other_way_round() {
    Map<String, Set<String>> read = variablesReadByCode();
    Set<String> documented = variablesInReadme();

    Map<String, Set<String>> undocumented = new TreeMap<>(read);
    undocumented.keySet().removeAll(documented);
    undocumented.keySet().removeAll(PENDING_DOCUMENTATION.keySet());
    assertThat(undocumented)
        .as("CJ_* variables the code reads (name -> where) that README.md does not document: add each to the"
            + " README's configuration tables with its meaning and default")
        .isEmpty();

    Set<String> unread = new TreeSet<>(documented);
    unread.removeAll(read.keySet());
    assertThat(unread)
        .as("CJ_* names README.md documents that no code reads: remove them from the README, or add them to"
            + " NOT_VARIABLES here if they are not environment variables")
        .isEmpty();

    Set<String> nowDocumented = new TreeSet<>(PENDING_DOCUMENTATION.keySet());
    nowDocumented.retainAll(documented);
    assertThat(nowDocumented).as("documented now: remove them from PENDING_DOCUMENTATION").isEmpty();
  }

  @Test
  void the_scan_finds_variables_in_java_xml_and_the_launcher() {
    // Guards the scan itself: if a pattern broke, the main test would pass on two empty sets.
    Map<String, Set<String>> read = variablesReadByCode();
    assertThat(read).containsKeys("CJ_DB_URL", "CJ_LOG_LEVEL", "CJ_JAVA_OPTS");
    assertThat(variablesInReadme()).contains("CJ_DB_URL", "CJ_LOG_LEVEL", "CJ_JAVA_OPTS")
        .doesNotContain("CJ_SUCCESS");
  }

  private static Map<String, Set<String>> variablesReadByCode() {
    Map<String, Set<String>> read = new TreeMap<>();
    try (Stream<Path> files = Files.walk(ROOT, 1)) {
      for (Path module : files.filter(p -> Files.isDirectory(p.resolve("src/main"))).toList()) {
        scan(module.resolve("src/main/java"), JAVA_LITERAL, read);
        scan(module.resolve("src/main/resources"), SHELL_OR_XML_REFERENCE, read);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    collect(ROOT.resolve("cj"), SHELL_OR_XML_REFERENCE, read);
    return read;
  }

  private static void scan(Path dir, Pattern pattern, Map<String, Set<String>> into) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".xml"))
          .forEach(p -> collect(p, pattern, into));
    }
  }

  private static void collect(Path file, Pattern pattern, Map<String, Set<String>> into) {
    Matcher m = pattern.matcher(read(file));
    while (m.find()) {
      into.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(ROOT.relativize(file).toString());
    }
  }

  private static Set<String> variablesInReadme() {
    Set<String> names = new TreeSet<>();
    Matcher m = README_NAME.matcher(read(ROOT.resolve("README.md")));
    while (m.find()) {
      names.add(m.group(1));
    }
    names.removeAll(NOT_VARIABLES);
    return names;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
