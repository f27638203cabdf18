package org.cjassessment.core.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.cjassessment.core.batch.ContinuationPolicy;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.core.pairs.SelectorKind;

public class SimMain {
  public static void main(String[] a) {
    double agreement = Double.parseDouble(a[0]);
    int seeds = Integer.parseInt(a[1]);
    long t0 = System.nanoTime();
    for (SelectorKind k : SelectorKind.values()) {
      SimulationSettings s = new SimulationSettings(100, 10, agreement, -0.2, k, 0, 30, ContinuationPolicy.defaults(),
          GradeScale.SWEDISH_8_ANCHOR, 3.0, 0.9, 10, 1);
      List<RunResult> runs = IntStream.range(0, seeds).parallel().mapToObj(i -> new SimulationRun(s.withSeed(i + 1)).run()).toList();
      System.out.println(SelectorSummary.of(k, runs));
      for (RunResult r : runs) System.out.println("  " + r);
    }
    System.out.println((System.nanoTime() - t0) / 1e9 + " s");
  }
}
