package org.cjassessment.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;
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
 * The Bradley–Terry fit at n = 100, 1,000 and 10,000 essays with ~10 comparisons per essay (random pairs, abilities
 * N(0, 1)), with the service's default options (prior SD 3), with and without standard errors (exact up to 2,500
 * essays, approximate beyond). The baseline in the same run is the regularised MM iteration most CJ tools use,
 * to a step of 1e-8 logits, without standard errors.
 *
 * <p>Run: {@code ./mvnw -q -pl cj-bench -am package -DskipTests && java -jar cj-bench/target/benchmarks.jar BradleyTerry}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BradleyTerryBenchmark {

  @Param({"100", "1000", "10000"})
  public int essays;

  private List<Comparison> comparisons;
  private MmBaseline baseline;

  @Setup
  public void setUp() {
    comparisons = SimulatedComparisons.generate(essays, 10, 1.0, 0, 42).withoutOrder();
    baseline = MmBaseline.of(comparisons);
  }

  @Benchmark
  public FitResult fitWithStandardErrors() {
    return BradleyTerry.fit(comparisons, FitOptions.defaults());
  }

  @Benchmark
  public FitResult fitWithoutStandardErrors() {
    return BradleyTerry.fit(comparisons, FitOptions.defaults().withStandardErrors(false));
  }

  /** MM converges linearly and slowly on sparse graphs: fewer iterations keep the run short. */
  @Benchmark
  @Warmup(iterations = 1, time = 1)
  @Measurement(iterations = 2, time = 1)
  public double[] baselineMinorizationMaximization() {
    return baseline.fit(1e-8, 20_000);
  }
}
