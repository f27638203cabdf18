package org.cjassessment.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.bt.SplitHalfReliability;
import org.cjassessment.core.grade.GradeScale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "score",
    description = {
        "Fit Bradley–Terry abilities to judged comparisons and print one row per essay:",
        "essay_id,score,se,rank,rank_lower,rank_upper,comparisons,wins,infit,outfit (+ grade columns with --anchors).",
        "A summary goes to stderr. Exit code 2 on bad input."
    },
    mixinStandardHelpOptions = true)
final class ScoreCommand implements Callable<Integer> {

  enum Format {
    csv,
    json
  }

  @Parameters(index = "0", paramLabel = "COMPARISONS.csv",
      description = "Header with at least winner,loser; optional first_shown (essay shown first) and judge.")
  Path comparisons;

  @Option(names = "--prior-sd", paramLabel = "SD", defaultValue = "" + FitOptions.DEFAULT_PRIOR_SD,
      description = "Gaussian prior SD on abilities in logits; 0 or 'none' = plain MLE (default: ${DEFAULT-VALUE}).",
      converter = PriorSdConverter.class)
  double priorSd;

  @Option(names = "--anchors", paramLabel = "ANCHORS.csv", description = "essay_id,grade of anchor essays.")
  Path anchors;

  @Option(names = "--scale", paramLabel = "NAME", defaultValue = "swedish_8_anchor",
      description = "Grade scale: swedish_8_anchor, eng5_np_legacy_9_step, eng5_np_national_9_step "
          + "(default: ${DEFAULT-VALUE}).")
  String scale;

  @Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--no-se", description = "Skip standard errors (faster for very large batches).")
  boolean noStandardErrors;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    long start = System.nanoTime();
    List<Comparison> judged = ComparisonsCsv.read(comparisons);
    if (GradeScale.findById(scale).isEmpty()) { // also without --anchors: a mistyped option is a mistake
      throw new UserInputException("--scale " + scale + " is unknown; valid scales: "
          + String.join(", ", GradeScale.ids()));
    }
    Grading grading = anchors == null ? Grading.none() : Grading.read(anchors, scale);
    java.util.Set<String> compared = new java.util.HashSet<>();
    judged.forEach(c -> {
      compared.add(c.winner());
      compared.add(c.loser());
    });
    List<String> uncompared = grading.anchorIds().stream().filter(id -> !compared.contains(id)).toList();
    if (!uncompared.isEmpty()) {
      // an anchor in no comparison says nothing about the scale, and would sit at the prior's mean as if it did
      throw new UserInputException(anchors + ": anchor" + (uncompared.size() == 1 ? " '" : "s '")
          + String.join("', '", uncompared.subList(0, Math.min(5, uncompared.size()))) + "'"
          + (uncompared.size() > 5 ? " and " + (uncompared.size() - 5) + " more" : "") + " in no comparison of "
          + comparisons + " (check the essay ids)");
    }
    FitOptions options = FitOptions.defaults().withPriorSd(priorSd).withStandardErrors(!noStandardErrors);
    FitResult fit = BradleyTerry.fit(judged, grading.anchorIds(), options);
    Optional<SplitHalfReliability> splitHalf = noStandardErrors ? Optional.empty()
        : Optional.of(SplitHalfReliability.estimate(judged, options));
    ScoreReport report = ScoreReport.of(fit, grading, splitHalf);
    long elapsed = System.nanoTime() - start;
    if (format == Format.json) {
      report.writeJson(out);
    } else {
      report.writeCsv(out);
    }
    out.flush();
    err.println(report.summary(elapsed));
    return 0;
  }

  /** Accepts a number ≥ 0 or "none". */
  static final class PriorSdConverter implements picocli.CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      if (value.equalsIgnoreCase("none")) {
        return 0.0;
      }
      double sd;
      try {
        sd = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a number or 'none'");
      }
      if (!(sd >= 0) || Double.isInfinite(sd)) {
        throw new picocli.CommandLine.TypeConversionException("must be a finite number >= 0, got " + value);
      }
      return sd;
    }
  }
}
