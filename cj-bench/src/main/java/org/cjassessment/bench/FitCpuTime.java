package org.cjassessment.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import org.cjassessment.core.bt.BradleyTerry;
import org.cjassessment.core.bt.Comparison;
import org.cjassessment.core.bt.FitOptions;
import org.cjassessment.core.bt.FitResult;
import org.cjassessment.core.bt.RankIntervals;
import org.cjassessment.core.bt.SimulatedComparisons;
import org.cjassessment.core.bt.SplitHalfReliability;

/**
 * The thread CPU time of the fit with full covariance, split-half reliability and rank intervals at n = 1,000 (the
 * same data as BradleyTerryBenchmark). JMH measures wall time, which on a shared machine with a load far above its
 * cores measures the queue for a CPU; the fit is single-threaded, so its CPU time is what it takes on a free core.
 *
 * <p>Run: {@code java -cp cj-bench/target/benchmarks.jar org.cjassessment.bench.FitCpuTime}
 */
public final class FitCpuTime {

  private FitCpuTime() {}

  public static void main(String[] args) {
    List<Comparison> comparisons = SimulatedComparisons.generate(1000, 10, 1.0, 0, 42).withoutOrder();
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 30; i++) {
      BradleyTerry.fit(comparisons, FitOptions.defaults()); // warm-up: let the JIT compile the kernels
    }
    long[] fit = new long[40];
    for (int i = 0; i < fit.length; i++) {
      long start = bean.getCurrentThreadCpuTime();
      BradleyTerry.fit(comparisons, FitOptions.defaults());
      fit[i] = bean.getCurrentThreadCpuTime() - start;
    }
    FitResult result = BradleyTerry.fit(comparisons, FitOptions.defaults());
    long[] splitHalf = new long[5];
    long[] intervals = new long[5];
    for (int i = -2; i < splitHalf.length; i++) {
      long start = bean.getCurrentThreadCpuTime();
      SplitHalfReliability.estimate(comparisons, FitOptions.defaults());
      long middle = bean.getCurrentThreadCpuTime();
      RankIntervals.of(result);
      long end = bean.getCurrentThreadCpuTime();
      if (i >= 0) {
        splitHalf[i] = middle - start;
        intervals[i] = end - middle;
      }
    }
    System.out.printf("n = 1,000, ~10 comparisons per essay, prior SD 3 (thread CPU time, ms)%n");
    System.out.printf("fit + full covariance (exact SEs): median %.1f, p10 %.1f, p90 %.1f%n", median(fit) / 1e6,
        percentile(fit, 0.1) / 1e6, percentile(fit, 0.9) / 1e6);
    System.out.printf("split-half reliability, 50 splits: median %.0f%n", median(splitHalf) / 1e6);
    System.out.printf("rank intervals, 1,000 draws: median %.0f%n", median(intervals) / 1e6);
  }

  private static double median(long[] values) {
    return percentile(values, 0.5);
  }

  private static double percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.round(p * (sorted.length - 1))];
  }
}
