package org.cjassessment.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.cjassessment.app.assess.AssessmentReport;
import org.cjassessment.app.assess.DemoBatch;
import org.cjassessment.app.assess.EmbeddedAssessment;
import org.cjassessment.app.assess.JudgeSetup;
import org.cjassessment.app.assess.ProgressDisplay;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.service.batch.BatchRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "The whole job in one process, no configuration: embedded PostgreSQL and Kafka, the service and a simulated",
        "judge assess a generated class (hidden true abilities, anchors of known grade); prints the ranking with",
        "grades next to the truth, reliability, cost, Spearman against the truth and the events read back from",
        "Kafka; writes results.csv and results.json to --out."
    })
final class DemoCommand implements Callable<Integer> {

  /** Comparisons per essay: enough for a Spearman around 0.9 with an 83 %-agreement judge (docs/BENCHMARKS.md). */
  static final int COMPARISONS_PER_ESSAY = 11;

  @Option(names = "--essays", defaultValue = "60", description = "student essays (default: ${DEFAULT-VALUE})")
  int students;

  @Option(names = "--anchors", defaultValue = "8", description = "anchor essays of known grade (default: "
      + "${DEFAULT-VALUE})")
  int anchors;

  @Option(names = "--seed", defaultValue = "42", description = "generates the class and the judge's draws "
      + "(default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", defaultValue = "cj-demo-out", paramLabel = "DIR", description = "where results go "
      + "(default: ${DEFAULT-VALUE})")
  Path out;

  @Spec
  CommandSpec spec;

  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Override
  public Integer call() throws Exception {
    if (students < 2 || students > 2000) {
      throw new UserInputException("--essays " + students + " is outside 2..2000");
    }
    if (anchors < 0 || anchors > 100) {
      throw new UserInputException("--anchors " + anchors + " is outside 0..100");
    }
    Map<String, String> env = CjCommand.environment();
    try {
      ServiceConfig.fromEnvironment(env); // a bad CJ_* value is reported before anything starts
    } catch (ServiceConfig.ConfigException e) {
      throw new UserInputException(e.getMessage());
    }
    try {
      // before anything starts: a minute of work is not spent to find out that the results cannot be written
      java.nio.file.Files.createDirectories(out);
    } catch (java.io.IOException e) {
      String why = e instanceof java.nio.file.FileAlreadyExistsException ? "it, or a folder above it, is a file"
          : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
      throw new UserInputException("--out " + out + " cannot be used as the output directory (" + why + ")", e);
    }
    Logging.quietForConsole(env);
    DemoBatch batch = DemoBatch.generate(students, anchors, seed);
    int budget = (int) Math.round(COMPARISONS_PER_ESSAY * batch.essays().size() / 2.0);
    // a fresh database every run: the id only needs to say what was generated
    String batchId = "demo-" + students + "-" + anchors + "-" + seed;
    BatchRequest request = new BatchRequest(batchId, batchId + "-request",
        UUID.nameUUIDFromBytes(batchId.getBytes(java.nio.charset.StandardCharsets.UTF_8)), batch.essays(),
        batch.scale().id(), budget, "cj-demo", null, null, null, "en",
        "Should schools start later in the morning? Argue for your view.", Map.of());
    ProgressDisplay display = ProgressDisplay.on(out());
    display.step("cj demo: " + students + " students and " + anchors + " anchors (scale " + batch.scale().id()
        + "), a simulated judge with hidden true abilities, a budget of " + budget + " comparisons");
    EmbeddedAssessment.Plan plan = new EmbeddedAssessment.Plan(request, null,
        JudgeSetup.demo(batch.abilities(), seed, env), env);
    EmbeddedAssessment.Outcome outcome = new EmbeddedAssessment(display).run(plan);
    AssessmentReport report = new AssessmentReport(outcome, batch.scale(), batch.abilities(), batch.trueGrades());
    List<Path> written = report.write(out);
    out().println();
    if (outcome.completed()) {
      report.printRanking(out());
      out().println();
    }
    out().print(report.summaryText());
    out().println("Wrote " + String.join(", ", written.stream().map(Path::toString).toList()));
    return outcome.completed() ? 0 : 1;
  }
}
