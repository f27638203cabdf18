package org.cjassessment.app;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cjassessment.core.batch.ContinuationPolicy;
import org.cjassessment.core.batch.PrecisionTarget;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.pairs.SelectorKind;
import org.cjassessment.core.simulate.RunResult;
import org.cjassessment.core.simulate.SelectorSummary;
import org.cjassessment.core.simulate.SimulationRun;
import org.cjassessment.core.simulate.SimulationSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "simulate",
    description = {
        "Run the real decision policy, pair selectors and fit against a simulated judge with known truth,",
        "and print per selector: appearances per essay (comparisons x 2 / essays) to reach Spearman >= 0.9",
        "with the true abilities, and at the stop: SSR, split-half and true reliability, grade accuracy,",
        "stop reasons. No infrastructure."
    },
    mixinStandardHelpOptions = true)
final class SimulateCommand implements Callable<Integer> {

  enum Format {
    text,
    json
  }

  /** Students plus anchors, at most. */
  static final int MAX_ESSAYS = 10_000;

  @Option(names = "--essays", defaultValue = "100", description = "Student essays (default ${DEFAULT-VALUE}).")
  int essays;

  @Option(names = "--anchors", defaultValue = "10", description = "Anchor essays (default ${DEFAULT-VALUE}).")
  int anchors;

  @Option(names = "--judge-agreement", defaultValue = "0.83",
      description = "Share of random pairs the judge orders like the truth, in [0.5, 1); 0.5 = coin tosses "
          + "(default ${DEFAULT-VALUE}).")
  double agreement;

  @Option(names = "--position-bias", defaultValue = "-0.2",
      description = "Logit added for the essay shown first (default ${DEFAULT-VALUE}).")
  double positionBias;

  @Option(names = "--selector", defaultValue = "adaptive,coverage,random", split = ",",
      description = "Selectors to compare: adaptive, coverage, random (default ${DEFAULT-VALUE}).")
  List<String> selectors;

  @Option(names = "--seeds", defaultValue = "20",
      description = "Simulated batches per selector (default ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--max-per-essay", defaultValue = "0",
      description = "Cap on appearances per essay, 0 = none (default ${DEFAULT-VALUE}).")
  int maxPerEssay;

  @Option(names = "--budget-per-essay", defaultValue = "30",
      description = "Comparison budget as appearances per essay (default ${DEFAULT-VALUE}).")
  double budgetPerEssay;

  @Option(names = "--target-reliability", defaultValue = "0.8",
      description = "Stop once the reliability reaches this, 0 = off (default ${DEFAULT-VALUE}).")
  double targetReliability;

  @Option(names = "--scale", defaultValue = "swedish_8_anchor", description = "Grade scale (default ${DEFAULT-VALUE}).")
  String scale;

  @Option(names = "--splits", defaultValue = "10",
      description = "Random splits per split-half reliability (default ${DEFAULT-VALUE}).")
  int splits;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE}).")
  Format format;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    List<SelectorKind> kinds = selectorKinds();
    SimulationSettings base = settings(kinds.get(0));
    long start = System.nanoTime();
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<SelectorKind, List<Future<RunResult>>> futures = new LinkedHashMap<>();
    try {
      for (SelectorKind kind : kinds) {
        List<Future<RunResult>> runs = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
          SimulationSettings s = base.withSelector(kind).withSeed(seed);
          runs.add(pool.submit(() -> new SimulationRun(s).run()));
        }
        futures.put(kind, runs);
      }
      List<SelectorSummary> summaries = new ArrayList<>();
      for (Map.Entry<SelectorKind, List<Future<RunResult>>> e : futures.entrySet()) {
        List<RunResult> results = new ArrayList<>();
        for (Future<RunResult> f : e.getValue()) {
          results.add(f.get());
        }
        summaries.add(SelectorSummary.of(e.getKey(), results));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      PrintWriter out = spec.commandLine().getOut();
      if (format == Format.json) {
        writeJson(out, base, summaries, seconds, threads);
      } else {
        SimulationText.write(out, base, seeds, summaries, seconds, threads);
      }
      out.flush();
      return 0;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a simulated batch failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private List<SelectorKind> selectorKinds() {
    LinkedHashSet<SelectorKind> kinds = new LinkedHashSet<>();
    for (String id : selectors) {
      kinds.add(SelectorKind.find(id).orElseThrow(() -> new UserInputException(
          "--selector: unknown selector '" + id + "'; use one or more of " + SelectorKind.ids())));
    }
    return List.copyOf(kinds);
  }

  private SimulationSettings settings(SelectorKind first) {
    require(essays >= 2, "--essays must be at least 2, got " + essays);
    require(anchors >= 0, "--anchors must be >= 0, got " + anchors);
    // The service's own ceiling (CJ_MAX_ESSAYS_PER_BATCH's default): a larger batch is not one it would run, and a
    // simulated one would fit for hours (one million ran until killed).
    require((long) essays + anchors <= MAX_ESSAYS,
        "--essays plus --anchors must be at most " + MAX_ESSAYS + ", got " + ((long) essays + anchors));
    require(agreement >= 0.5 && agreement < 1, "--judge-agreement must be in [0.5, 1), got " + agreement);
    require(Double.isFinite(positionBias) && Math.abs(positionBias) <= 5,
        "--position-bias must be a logit in [-5, 5], got " + positionBias);
    require(seeds >= 1 && seeds <= 10_000, "--seeds must be in [1, 10000], got " + seeds);
    require(maxPerEssay >= 0, "--max-per-essay must be >= 0 (0 = no cap), got " + maxPerEssay);
    require(budgetPerEssay > 0 && budgetPerEssay <= 1000,
        "--budget-per-essay must be in (0, 1000], got " + budgetPerEssay);
    require(targetReliability >= 0 && targetReliability < 1,
        "--target-reliability must be in [0, 1) (0 = off), got " + targetReliability);
    require(splits >= 1 && splits <= 1000, "--splits must be in [1, 1000], got " + splits);
    GradeScale gradeScale = GradeScale.findById(scale).orElseThrow(() -> new UserInputException(
        "--scale: unknown grade scale '" + scale + "'; use one of " + GradeScale.ids()));
    PrecisionTarget d = PrecisionTarget.defaults();
    ContinuationPolicy policy = ContinuationPolicy.defaults().withPrecisionTarget(
        new PrecisionTarget(targetReliability, d.gradeConfidence(), d.gradeShare(), d.minAppearances()));
    return new SimulationSettings(essays, anchors, agreement, positionBias, first, maxPerEssay, budgetPerEssay,
        policy, gradeScale, FitOptions.DEFAULT_PRIOR_SD, 0.9, splits, 1);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new UserInputException(message);
    }
  }

  private void writeJson(PrintWriter out, SimulationSettings s, List<SelectorSummary> summaries, double seconds,
      int threads) {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("students", s.students());
    setup.put("anchors", s.anchors());
    setup.put("judge_agreement", s.agreement());
    setup.put("position_bias", s.positionBias());
    setup.put("seeds", seeds);
    setup.put("max_per_essay", s.maxPerEssay());
    setup.put("budget_per_essay", s.budgetPerEssay());
    setup.put("target_reliability", s.policy().precisionTarget().reliability());
    setup.put("spearman_target", s.spearmanTarget());
    setup.put("scale", s.scale().id());
    doc.put("setup", setup);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (SelectorSummary m : summaries) {
      rows.add(SimulationText.row(m));
    }
    doc.put("selectors", rows);
    doc.put("seconds", seconds);
    doc.put("threads", threads);
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, doc);
      out.println();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String f(double v) {
    return Double.isNaN(v) ? "n/a" : v == Double.POSITIVE_INFINITY ? "not reached"
        : String.format(Locale.ROOT, "%.2f", v);
  }
}
