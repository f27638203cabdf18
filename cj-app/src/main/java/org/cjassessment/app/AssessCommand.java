package org.cjassessment.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cjassessment.app.assess.AnswerJournal;
import org.cjassessment.app.assess.AssessmentReport;
import org.cjassessment.app.assess.EmbeddedAssessment;
import org.cjassessment.app.assess.EssayFolder;
import org.cjassessment.app.assess.JudgeSetup;
import org.cjassessment.app.assess.ProgressDisplay;
import org.cjassessment.app.assess.RunRecord;
import org.cjassessment.app.assess.TruthFile;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.batch.BatchRequestValidator;
import org.cjassessment.service.batch.InvalidRequestException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

@Command(
    name = "assess",
    mixinStandardHelpOptions = true,
    description = {
        "Assess a folder of essays (.txt/.md files) on embedded PostgreSQL and Kafka with an LLM or the simulated",
        "judge; writes results.csv, results.json and summary.txt to --out. Run again with the same --out to resume",
        "an interrupted run: judged comparisons are never asked (or paid for) again.",
        "The judge: --judge and the CJ_JUDGE_* variables (see README)."
    })
final class AssessCommand implements Callable<Integer> {

  /** Comparisons per essay when --budget is not given (SPEC §6: about 10 give SSR ≈ 0.8 with a fair judge). */
  static final int DEFAULT_COMPARISONS_PER_ESSAY = 10;

  @Parameters(index = "0", paramLabel = "ESSAYS_DIR", description = "folder of .txt/.md essays (id = file name)")
  Path essays;

  @Option(names = "--anchors", paramLabel = "CSV", description = "anchor grades: essay_id,grade")
  Path anchors;

  @Option(names = "--anchors-dir", paramLabel = "DIR",
      description = "where the anchor essays are (default: ESSAYS_DIR)")
  Path anchorsDir;

  @Option(names = "--scale", defaultValue = "swedish_8_anchor", description = "grade scale (default: ${DEFAULT-VALUE})")
  String scale;

  @Option(names = "--prompt", paramLabel = "FILE", description = "the assignment prompt the essays answer")
  Path prompt;

  @Option(names = "--rubric", paramLabel = "FILE", description = "the rubric the judge applies")
  Path rubric;

  @Option(names = "--budget", paramLabel = "N", description = "maximum comparisons (default: "
      + DEFAULT_COMPARISONS_PER_ESSAY + " per essay)")
  Integer budget;

  @Option(names = "--judge", paramLabel = "PROVIDER", description = "openai, anthropic or simulated "
      + "(default: CJ_JUDGE_PROVIDER)")
  String judge;

  @Option(names = "--truth", paramLabel = "CSV", description = "true abilities essay_id,ability: the simulated "
      + "judge's truth (a dry run), and Spearman against it")
  Path truth;

  @Option(names = "--out", defaultValue = "cj-out", paramLabel = "DIR", description = "results and the run's "
      + "data (default: ${DEFAULT-VALUE})")
  Path out;

  @Spec
  CommandSpec spec;

  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = CjCommand.environment();
    JudgeSetup.Choice choice = JudgeSetup.choose(judge, truth, rubric, env);
    ServiceConfig service;
    try {
      service = ServiceConfig.fromEnvironment(env);
    } catch (ServiceConfig.ConfigException e) {
      throw new UserInputException(e.getMessage());
    }
    for (Path folder : new Path[] {essays, anchorsDir}) {
      if (folder != null && Files.exists(out) && Files.isDirectory(folder) && Files.isSameFile(out, folder)) {
        // the run writes summary.txt there: the next run would read it as an essay and refuse the changed inputs
        throw new UserInputException("--out " + out + " is the essays folder " + folder + "; choose another --out "
            + "(e.g. the default cj-out)");
      }
    }
    EssayFolder.Contents contents = EssayFolder.read(essays, anchors, anchorsDir, scale,
        service.settings().maxEssayChars());
    Map<String, Double> abilities = truth == null ? Map.of() : TruthFile.read(truth, contents.essays());
    String promptText = readOptional(prompt, "--prompt");
    String rubricText = readOptional(rubric, "--rubric");
    int comparisons = budget != null ? budget : DEFAULT_COMPARISONS_PER_ESSAY * contents.essays().size() / 2;
    if (comparisons < 1 || comparisons > service.settings().maxBudget()) {
      throw new UserInputException("--budget " + comparisons + " is outside 1.." + service.settings().maxBudget());
    }
    RunRecord run = RunRecord.of(contents.essays(), contents.scale().id(), comparisons, promptText, rubricText,
        choice.provider());
    BatchRequest request = new BatchRequest(run.batchId(), run.requestEventId(), run.correlationId(),
        contents.essays(), contents.scale().id(), comparisons, "cj-assess", null, null, null, null, promptText,
        Map.of());
    try {
      // The service's own checks, before --out is claimed and anything starts: a refusal at intake would leave an
      // output directory holding a run that can never complete.
      new BatchRequestValidator(service.settings()).validate(request);
    } catch (InvalidRequestException e) {
      throw new UserInputException(e.getMessage(), e);
    }
    boolean resuming = run.claim(out);
    Logging.quietForConsole(env);
    ProgressDisplay display = ProgressDisplay.on(out());
    if (resuming) {
      display.step("Resuming the run in " + out + " (batch " + run.batchId() + ")");
    }
    try (AnswerJournal journal = AnswerJournal.open(out.resolve("journal.jsonl"))) {
      EmbeddedAssessment.Plan plan = new EmbeddedAssessment.Plan(request, out.resolve("state"),
          choice.starter(journal), env);
      EmbeddedAssessment.Outcome outcome = new EmbeddedAssessment(display).run(plan);
      AssessmentReport report = new AssessmentReport(outcome, contents.scale(), abilities, Map.of());
      List<Path> written = report.write(out);
      if (outcome.completed()) {
        report.printRanking(out());
      }
      out().println();
      out().print(report.summaryText());
      if (journal.replays() > 0) {
        out().println("Answered from " + out.resolve("journal.jsonl") + " instead of the provider: "
            + journal.replays() + " comparison(s) already paid for before the interruption");
      }
      out().println("Wrote " + String.join(", ", written.stream().map(Path::toString).toList()));
      return outcome.completed() ? 0 : 1;
    }
  }

  private static String readOptional(Path file, String option) {
    if (file == null) {
      return null;
    }
    if (Files.isDirectory(file)) {
      throw new UserInputException(option + " " + file + ": is a directory, expected a text file");
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1); // a byte-order mark is not part of the prompt
      }
      if (text.isBlank()) {
        throw new UserInputException(option + " " + file + ": is empty");
      }
      return text;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UserInputException(option + " " + file + ": no such file", e);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new UserInputException(option + " " + file + ": is not UTF-8 text (save it as UTF-8)", e);
    } catch (IOException e) {
      throw new UserInputException(option + " " + file + ": cannot be read (" + e.getClass().getSimpleName()
          + ")", e);
    }
  }
}
