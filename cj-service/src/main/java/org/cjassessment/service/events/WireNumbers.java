package org.cjassessment.service.events;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cjassessment.core.grade.GradeProbability;

/**
 * The doubles of the published result event, rounded to {@value #DECIMALS} decimal places at the wire.
 *
 * <p>Why: full-precision doubles (17 significant digits) are close to random text and hardly compress, which made a
 * 10,000-essay result event exceed Kafka's default 1 MiB record limit even after zstd (docs/OUTBOX.md "Sizes").
 * Six decimals are a millionth of a logit or of a probability, three orders of magnitude below any standard error
 * the fit reports, so no reader can tell the difference. The database, the results API, results.json and the CSV
 * keep full precision.
 *
 * <p>Grade probabilities are rounded together (largest remainder on millionths), so that the published
 * probabilities of one essay still sum to 1 within {@value #PROBABILITY_SUM_TOLERANCE} (a naive per-value rounding
 * of 8–10 grades can drift by 5·10⁻⁶).
 */
public final class WireNumbers {

  public static final int DECIMALS = 6;

  /** How far the rounded probabilities of one essay may sum from 1 (floating-point addition of millionths). */
  public static final double PROBABILITY_SUM_TOLERANCE = 1e-6;

  private static final long UNITS = 1_000_000L; // 10^DECIMALS

  private WireNumbers() {}

  /** {@code value} rounded half-up to six decimals; NaN and infinities are returned unchanged (Jackson refuses them). */
  public static double rounded(double value) {
    if (!Double.isFinite(value)) {
      return value;
    }
    return BigDecimal.valueOf(value).setScale(DECIMALS, RoundingMode.HALF_UP).doubleValue();
  }

  /** A nullable value rounded, null kept. */
  public static Double rounded(Double value) {
    return value == null ? null : rounded(value.doubleValue());
  }

  /**
   * Grade → probability in the given order, each a multiple of 10⁻⁶ in [0, 1], summing to 1 when the inputs sum to 1
   * within 10⁻⁶ (largest-remainder rounding: floor every value, then give the missing millionths to the largest
   * remainders). Inputs that do not sum to 1 are rounded one by one.
   */
  public static Map<String, Double> probabilities(List<GradeProbability> probabilities) {
    int n = probabilities.size();
    long[] units = new long[n];
    double[] remainders = new double[n];
    double sum = 0;
    long floorSum = 0;
    for (int i = 0; i < n; i++) {
      double scaled = probabilities.get(i).probability() * UNITS;
      units[i] = (long) Math.floor(scaled);
      remainders[i] = scaled - units[i];
      floorSum += units[i];
      sum += probabilities.get(i).probability();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
      probabilities.forEach(p -> out.put(p.grade(), rounded(p.probability())));
      return out;
    }
    long missing = UNITS - floorSum; // in [0, n] when the inputs sum to 1 within 10⁻⁶
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    // Largest remainder first; ties by position, so the result is deterministic.
    order.sort(Comparator.comparingDouble((Integer i) -> -remainders[i]).thenComparing(i -> i));
    for (int k = 0; k < Math.min(missing, n); k++) {
      units[order.get(k)]++;
    }
    for (int i = 0; i < n; i++) {
      out.put(probabilities.get(i).grade(), Math.min(units[i], UNITS) / (double) UNITS);
    }
    return out;
  }
}
