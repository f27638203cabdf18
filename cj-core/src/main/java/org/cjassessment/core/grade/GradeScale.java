package org.cjassessment.core.grade;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The grade scales a projection can use, ported from upstream {@code CC/grade_scales.py} (reference §6.1) with the
 * same ids, display names, grade order (lowest first), population priors and below-lowest grades.
 *
 * <p>Grades are validated against their own scale, never against a letter pattern, so the numeric grades of
 * {@link #ENG5_NP_NATIONAL_9_STEP} are as valid as letters. An unknown id is an error listing the valid ids; there
 * is no silent fallback to the default scale (upstream falls back to {@code swedish_8_anchor}).
 */
public enum GradeScale {
  /** Swedish national exam, eight anchor grades. The default scale. No below-lowest grade. */
  SWEDISH_8_ANCHOR(
      "swedish_8_anchor",
      "Swedish National Exam (8-anchor)",
      List.of("F", "E", "D", "D+", "C", "C+", "B", "A"),
      new double[] {0.02, 0.08, 0.15, 0.20, 0.25, 0.15, 0.10, 0.05},
      null),
  /** ENG5 national test, legacy nine-step letter scale; {@code F} is the grade below the lowest. Uniform priors. */
  ENG5_NP_LEGACY_9_STEP(
      "eng5_np_legacy_9_step",
      "ENG5 NP Legacy (9-step)",
      List.of("F+", "E-", "E+", "D-", "D+", "C-", "C+", "B", "A"),
      uniform(9),
      "F"),
  /** ENG5 national test, numeric nine-step scale 1…9; {@code 0} is the grade below the lowest. Uniform priors. */
  ENG5_NP_NATIONAL_9_STEP(
      "eng5_np_national_9_step",
      "ENG5 NP National (9-step)",
      List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"),
      uniform(9),
      "0");

  /** The scale used when an assessment names none (upstream default). */
  public static final GradeScale DEFAULT = SWEDISH_8_ANCHOR;

  /**
   * Upstream {@code grade_utils.py} letter → normalised score table (reference §6.7), kept byte-for-byte: it covers
   * every grade of both letter scales, including the legacy scale's below-lowest {@code F}.
   */
  private static final Map<String, Double> LETTER_SCORES = letterScores();

  private static final Map<String, GradeScale> BY_ID =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(GradeScale::id, s -> s));

  private final String id;
  private final String displayName;
  private final List<String> grades;
  private final List<String> allGrades;
  private final Map<String, Double> priors;
  private final String belowLowestGrade;
  private final Map<String, Integer> positionInAll;

  GradeScale(String id, String displayName, List<String> grades, double[] priors, String belowLowestGrade) {
    this.id = id;
    this.displayName = displayName;
    this.grades = List.copyOf(grades);
    this.belowLowestGrade = belowLowestGrade;
    if (grades.stream().distinct().count() != grades.size()
        || (belowLowestGrade != null && grades.contains(belowLowestGrade))) {
      throw new IllegalStateException("grade scale " + id + " has duplicate grades: " + grades);
    }
    if (priors.length != grades.size() || Math.abs(Arrays.stream(priors).sum() - 1) > 0.01) {
      throw new IllegalStateException("grade scale " + id + " priors must match its grades and sum to 1");
    }
    Map<String, Double> p = new LinkedHashMap<>();
    for (int i = 0; i < grades.size(); i++) {
      p.put(grades.get(i), priors[i]);
    }
    this.priors = Collections.unmodifiableMap(p);
    String[] all =
        belowLowestGrade == null
            ? grades.toArray(String[]::new)
            : concat(belowLowestGrade, grades);
    this.allGrades = List.of(all);
    Map<String, Integer> pos = new HashMap<>();
    for (int i = 0; i < all.length; i++) {
      pos.put(all[i], i);
    }
    this.positionInAll = Map.copyOf(pos);
  }

  /**
   * The scale with this id.
   *
   * @throws UnknownGradeScaleException naming the id and listing the valid ids
   */
  public static GradeScale byId(String id) {
    GradeScale scale = id == null ? null : BY_ID.get(id);
    if (scale == null) {
      throw new UnknownGradeScaleException(id, ids());
    }
    return scale;
  }

  /** The scale with this id, or empty. */
  public static Optional<GradeScale> findById(String id) {
    return Optional.ofNullable(id == null ? null : BY_ID.get(id));
  }

  /** Every valid scale id, in declaration order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(GradeScale::id).toList();
  }

  /** The upstream id, e.g. {@code swedish_8_anchor}. */
  public String id() {
    return id;
  }

  public String displayName() {
    return displayName;
  }

  /** The scale's grades, lowest first (without the below-lowest grade). */
  public List<String> grades() {
    return grades;
  }

  /** The number of grades in {@link #grades()}. */
  public int size() {
    return grades.size();
  }

  public String lowestGrade() {
    return grades.get(0);
  }

  public String highestGrade() {
    return grades.get(grades.size() - 1);
  }

  /** The grade below the lowest ({@code F} / {@code 0} on the 9-step scales), if this scale has one. */
  public Optional<String> belowLowestGrade() {
    return Optional.ofNullable(belowLowestGrade);
  }

  /**
   * Every grade a projection can produce, lowest first: the below-lowest grade (if the scale has one) followed by
   * {@link #grades()}. This is also the set of valid anchor grades.
   */
  public List<String> allGrades() {
    return allGrades;
  }

  /** Population priors per grade of {@link #grades()}, in scale order (national distribution, or uniform). */
  public Map<String, Double> populationPriors() {
    return priors;
  }

  /** True if the grade is on this scale or is its below-lowest grade. Exact, case-sensitive match. */
  public boolean isValid(String grade) {
    return grade != null && positionInAll.containsKey(grade);
  }

  /**
   * Returns the grade if it is valid on this scale.
   *
   * @throws UnknownGradeException naming the grade and listing the valid grades
   */
  public String validate(String grade) {
    if (!isValid(grade)) {
      throw new UnknownGradeException(this, grade, null);
    }
    return grade;
  }

  /**
   * Upstream {@code get_grade_index}: the position in {@link #grades()}, or −1 for the below-lowest grade.
   *
   * @throws UnknownGradeException if the grade is not on this scale
   */
  public int indexOf(String grade) {
    return rankOf(grade) - (belowLowestGrade == null ? 0 : 1);
  }

  /**
   * The position in {@link #allGrades()} (0 = the lowest grade a projection can produce).
   *
   * @throws UnknownGradeException if the grade is not on this scale
   */
  public int rankOf(String grade) {
    Integer rank = grade == null ? null : positionInAll.get(grade);
    if (rank == null) {
      throw new UnknownGradeException(this, grade, null);
    }
    return rank;
  }

  /** Orders valid grades of this scale from lowest to highest; throws {@link UnknownGradeException} otherwise. */
  public Comparator<String> order() {
    return Comparator.comparingInt(this::rankOf);
  }

  /**
   * The grade as a score in [0, 1] for the rich result event ({@code normalized_score}, reference §6.7).
   *
   * <ul>
   *   <li>Letter scales: upstream's table, A 1.00 … F 0.00 (e.g. C+ 0.67, F+ 0.07), unchanged for parity.
   *   <li>{@code eng5_np_national_9_step}: {@code g / 9} for g = 0…9 (upstream gave every numeric grade 0.0).
   * </ul>
   *
   * @throws UnknownGradeException if the grade is not on this scale ("no grade" / {@code U} is the event layer's
   *     concern, where upstream uses 0.0)
   */
  public double normalizedScore(String grade) {
    validate(grade);
    if (this == ENG5_NP_NATIONAL_9_STEP) {
      return Integer.parseInt(grade) / 9.0;
    }
    return LETTER_SCORES.get(grade);
  }

  private static double[] uniform(int n) {
    double[] p = new double[n];
    Arrays.fill(p, 1.0 / n);
    return p;
  }

  private static String[] concat(String first, List<String> rest) {
    String[] all = new String[rest.size() + 1];
    all[0] = first;
    for (int i = 0; i < rest.size(); i++) {
      all[i + 1] = rest.get(i);
    }
    return all;
  }

  private static Map<String, Double> letterScores() {
    Map<String, Double> m = new HashMap<>();
    m.put("A", 1.00);
    m.put("A-", 0.93);
    m.put("B+", 0.87);
    m.put("B", 0.80);
    m.put("B-", 0.73);
    m.put("C+", 0.67);
    m.put("C", 0.60);
    m.put("C-", 0.53);
    m.put("D+", 0.47);
    m.put("D", 0.40);
    m.put("D-", 0.33);
    m.put("E+", 0.27);
    m.put("E", 0.20);
    m.put("E-", 0.13);
    m.put("F+", 0.07);
    m.put("F", 0.00);
    return Map.copyOf(m);
  }
}
