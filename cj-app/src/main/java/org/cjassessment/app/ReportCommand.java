package org.cjassessment.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cjassessment.service.Json;
import org.cjassessment.service.report.HtmlReport;
import org.cjassessment.service.report.ReportDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    description = {
        "Render the HTML report of an assessment from its results file (results.json of cj assess / cj demo, or the",
        "JSON of GET /api/v1/batches/{id}/results). One self-contained page: open it offline, print it, send it.",
        "Exit code 2 on bad input."
    },
    mixinStandardHelpOptions = true)
final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RESULTS.json", description = "The results document.")
  Path results;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the page (default: report.html next to "
      + "RESULTS.json).")
  Path out;

  @Option(names = "--include-text", description = "Show essay texts carried by the results file (off by default: "
      + "reports travel).")
  boolean includeText;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Path target = out != null ? out : results.toAbsolutePath().resolveSibling("report.html");
    write(read(results), target, includeText);
    spec.commandLine().getOut().println(target);
    return 0;
  }

  /** Renders {@code results} to {@code target}; used by {@code cj assess} and {@code cj demo} too. */
  static void write(JsonNode results, Path target, boolean includeText) {
    String html;
    try {
      html = HtmlReport.render(ReportDocument.from(results), includeText);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
    try {
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(target, html, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserInputException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return Json.mapper().readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new UserInputException("no such file: " + file);
    } catch (JsonProcessingException e) {
      // the location only: the parser's own message can quote the file's content
      throw new UserInputException(file + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")");
    } catch (IOException e) {
      throw new UserInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
