package org.cjassessment.core.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * A judge with known truth, for demos, CI and {@code cj simulate}: every essay has a hidden ability θ, and the essay
 * shown first wins with probability σ(a·(θ_first − θ_second) + positionBias).
 *
 * <p>The discrimination {@code a} is not set directly: it is solved so that, on random pairs of the given essays
 * and averaged over both presentation orders, the judge picks the truly better essay with the requested
 * {@link Settings#agreement()} (an LLM judge agrees with teachers on about 81–83 % of pairs, see
 * reference/llm-judge-apis.md). Agreement 0.5 gives a = 0: coin tosses, accepted on purpose.
 *
 * <p>Every draw is a pure function of (seed, request key, the two essays), so a re-asked request gets the same
 * answer whatever thread or process asks and in whatever order: a run is reproducible for a seed.
 */
public final class SimulatedJudgeModel {

  /** Pairs sampled to calibrate {@code a}; enough for three decimals of agreement, cheap for any batch size. */
  private static final int CALIBRATION_PAIRS = 20_000;

  /**
   * @param agreement share of random pairs the judge orders like the truth, in [0.5, 1)
   * @param positionBias logit added in favour of the essay shown first (negative: the second is preferred, as
   *     84 % of measured LLM set-ups do)
   * @param errorRate share of requests answered with a provider error instead of a verdict, in [0, 1]
   * @param latencyMedianMillis median simulated response time (log-normal); 0 for none
   * @param latencySpread σ of the log-normal latency (0 = always the median)
   * @param seed makes every draw reproducible
   */
  public record Settings(double agreement, double positionBias, double errorRate, double latencyMedianMillis,
      double latencySpread, long seed) {

    public Settings {
      if (!(agreement >= 0.5 && agreement < 1.0)) {
        throw new IllegalArgumentException("agreement must be in [0.5, 1), was " + agreement);
      }
      if (!Double.isFinite(positionBias)) {
        throw new IllegalArgumentException("position bias must be finite, was " + positionBias);
      }
      if (!(errorRate >= 0 && errorRate <= 1)) {
        throw new IllegalArgumentException("error rate must be in [0, 1], was " + errorRate);
      }
      if (!(latencyMedianMillis >= 0) || !(latencySpread >= 0)) {
        throw new IllegalArgumentException("latency median and spread must be >= 0");
      }
    }

    /** Like a real LLM judge: 83 % agreement, a slight preference for the second essay, no errors, no latency. */
    public static Settings defaults(long seed) {
      return new Settings(0.83, -0.2, 0.0, 0.0, 0.0, seed);
    }

    public Settings withAgreement(double value) {
      return new Settings(value, positionBias, errorRate, latencyMedianMillis, latencySpread, seed);
    }

    public Settings withPositionBias(double value) {
      return new Settings(agreement, value, errorRate, latencyMedianMillis, latencySpread, seed);
    }

    public Settings withErrorRate(double value) {
      return new Settings(agreement, positionBias, value, latencyMedianMillis, latencySpread, seed);
    }

    public Settings withLatency(double medianMillis, double spread) {
      return new Settings(agreement, positionBias, errorRate, medianMillis, spread, seed);
    }

    public Settings withSeed(long value) {
      return new Settings(agreement, positionBias, errorRate, latencyMedianMillis, latencySpread, value);
    }
  }

  /**
   * One answer. When {@code error} is true there is no verdict: {@code firstWins} is false and
   * {@code probabilityFirstWins} is NaN.
   *
   * @param probabilityFirstWins the probability the judge states that the first essay is better (what logprobs
   *     would give): σ of its own noisy perception, on the verdict's side of 0.5; never the true model probability
   * @param confidence 1–5, higher the further that probability is from 0.5
   * @param latencyMillis how long a real judge would have taken
   */
  public record Verdict(boolean error, boolean firstWins, double probabilityFirstWins, int confidence,
      long latencyMillis) {}

  private final Map<String, Double> abilities;
  private final Settings settings;
  private final double discrimination;

  private SimulatedJudgeModel(Map<String, Double> abilities, Settings settings, double discrimination) {
    this.abilities = abilities;
    this.settings = settings;
    this.discrimination = discrimination;
  }

  /** A judge whose discrimination is solved for {@code settings.agreement()} on these abilities. */
  public static SimulatedJudgeModel calibrated(Map<String, Double> abilities, Settings settings) {
    Objects.requireNonNull(settings, "settings");
    Map<String, Double> copy = Map.copyOf(abilities);
    copy.forEach((id, theta) -> {
      if (!Double.isFinite(theta)) {
        throw new IllegalArgumentException("ability of " + id + " must be finite, was " + theta);
      }
    });
    return new SimulatedJudgeModel(copy, settings, solveDiscrimination(copy, settings));
  }

  public Settings settings() {
    return settings;
  }

  /** The solved {@code a}. */
  public double discrimination() {
    return discrimination;
  }

  public OptionalDouble ability(String essayId) {
    Double theta = abilities.get(essayId);
    return theta == null ? OptionalDouble.empty() : OptionalDouble.of(theta);
  }

  public Map<String, Double> abilities() {
    return abilities;
  }

  /** P(first shown wins) under the model. */
  public double probabilityFirstWins(String first, String second) {
    return sigmoid(discrimination * (theta(first) - theta(second)) + settings.positionBias());
  }

  /**
   * The judge's answer to one request. {@code requestKey} identifies the request (a correlation id, or the pair
   * and an attempt number); the same key and essays always give the same answer.
   */
  public Verdict judge(String first, String second, String requestKey) {
    SplittableRandom random = new SplittableRandom(mix(settings.seed(), requestKey, first, second));
    long latency = latency(random);
    if (random.nextDouble() < settings.errorRate()) {
      return new Verdict(true, false, Double.NaN, 0, latency);
    }
    // The judge perceives d = a·(θ_first − θ_second) + bias + ε with logistic ε, says "first" when d > 0 (which is
    // P(first wins) = σ(a·Δ + bias), as drawn before) and states σ(d) as its probability. Stating the true σ(a·Δ +
    // bias) instead would hand the fit the hidden abilities through the soft outcome (a demo Spearman of 0.998 at
    // 11 comparisons per essay, measured): a real judge's logprobs carry its own noisy perception, not the truth.
    double u = Math.min(Math.max(random.nextDouble(), 1e-12), 1 - 1e-12);
    double perceived = discrimination * (theta(first) - theta(second)) + settings.positionBias()
        - Math.log(u / (1 - u));
    boolean firstWins = perceived > 0;
    double stated = sigmoid(perceived);
    return new Verdict(false, firstWins, stated, confidence(stated), latency);
  }

  /** 1 at a coin toss, 5 when the model is all but certain. */
  static int confidence(double p) {
    double certainty = Math.abs(p - 0.5) * 2; // 0..1
    return 1 + (int) Math.min(4, Math.floor(certainty * 5));
  }

  private long latency(SplittableRandom random) {
    if (settings.latencyMedianMillis() == 0) {
      return 0;
    }
    double z = gaussian(random);
    return Math.round(settings.latencyMedianMillis() * Math.exp(settings.latencySpread() * z));
  }

  private double theta(String essayId) {
    Double theta = abilities.get(essayId);
    if (theta == null) {
      throw new IllegalArgumentException("the simulated judge has no true ability for essay " + essayId
          + "; give it a truth entry for every essay");
    }
    return theta;
  }

  /** Bisection on a: agreement(a) rises monotonically from 0.5 at a = 0. */
  private static double solveDiscrimination(Map<String, Double> abilities, Settings settings) {
    if (settings.agreement() == 0.5 || abilities.size() < 2) {
      return 0;
    }
    double[] gaps = calibrationGaps(abilities, settings.seed());
    if (gaps.length == 0) {
      return 0; // every ability equal: no true order to agree with
    }
    double lo = 0;
    double hi = 1;
    while (agreement(gaps, hi, settings.positionBias()) < settings.agreement() && hi < 1e6) {
      hi *= 2;
    }
    for (int i = 0; i < 100 && hi - lo > 1e-9 * hi; i++) {
      double mid = (lo + hi) / 2;
      if (agreement(gaps, mid, settings.positionBias()) < settings.agreement()) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** |θ_i − θ_j| of all pairs, or of a seeded sample of them for large batches; ties carry no true order. */
  private static double[] calibrationGaps(Map<String, Double> abilities, long seed) {
    List<Double> thetas = abilities.entrySet().stream()
        .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    int n = thetas.size();
    List<Double> gaps = new ArrayList<>();
    long allPairs = (long) n * (n - 1) / 2;
    if (allPairs <= CALIBRATION_PAIRS) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          addGap(gaps, thetas.get(i), thetas.get(j));
        }
      }
    } else {
      SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
      for (int k = 0; k < CALIBRATION_PAIRS; k++) {
        int i = random.nextInt(n);
        int j = random.nextInt(n - 1);
        addGap(gaps, thetas.get(i), thetas.get(j >= i ? j + 1 : j));
      }
    }
    return gaps.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void addGap(List<Double> gaps, double a, double b) {
    double gap = Math.abs(a - b);
    if (gap > 0) {
      gaps.add(gap);
    }
  }

  /** Mean P(better essay wins) over the gaps, each pair shown in both orders. */
  private static double agreement(double[] gaps, double a, double bias) {
    double sum = 0;
    for (double gap : gaps) {
      sum += 0.5 * (sigmoid(a * gap + bias) + sigmoid(a * gap - bias));
    }
    return sum / gaps.length;
  }

  private static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  private static double gaussian(SplittableRandom random) {
    // Box–Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static long mix(long seed, String requestKey, String first, String second) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (String part : new String[] {requestKey, first, second}) {
      for (int i = 0; i < part.length(); i++) {
        h = (h ^ part.charAt(i)) * 0x100000001B3L;
      }
      h = Long.rotateLeft(h, 31) * 0x9E3779B97F4A7C15L;
    }
    return h;
  }
}
