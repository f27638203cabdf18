package org.cjassessment.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.bt.RankIntervals;
import org.cjassessment.core.bt.SplitHalfReliability;
import org.cjassessment.core.bt.SimulatedComparisons;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a finalization adds to the fit at n = 1,000 essays (~10 comparisons per essay, as BradleyTerryBenchmark):
 * split-half reliability with the default 50 splits (100 fits without standard errors) and 95 % rank intervals
 * from 1,000 draws of the centred covariance.
 *
 * <p>Run: {@code java -jar cj-bench/target/benchmarks.jar Reliability}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ReliabilityBenchmark {

  @Param({"1000"})
  public int essays;

  private List<Comparison> comparisons;
  private FitResult fit;

  @Setup
  public void setUp() {
    comparisons = SimulatedComparisons.generate(essays, 10, 1.0, 0, 42).withoutOrder();
    fit = BradleyTerry.fit(comparisons, FitOptions.defaults());
  }

  @Benchmark
  public SplitHalfReliability splitHalfFiftySplits() {
    return SplitHalfReliability.estimate(comparisons, FitOptions.defaults());
  }

  @Benchmark
  public List<RankIntervals.RankInterval> rankIntervalsThousandDraws() {
    return RankIntervals.of(fit);
  }
}
