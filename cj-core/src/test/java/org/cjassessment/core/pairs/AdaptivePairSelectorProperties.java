package org.cjassessment.core.pairs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The adaptive selector's invariants, whatever the fit says: on random estimates, histories and caps. */
class AdaptivePairSelectorProperties {

  private final AdaptivePairSelector selector = new AdaptivePairSelector();

  @Property(tries = 80)
  void aWaveUsesEveryEssayOnceAtMostAndNeverPassesTheCap(
      @ForAll @IntRange(min = 2, max = 40) int essays, @ForAll @IntRange(min = 0, max = 60) int past,
      @ForAll @IntRange(min = 0, max = 6) int cap, @ForAll @IntRange(min = 0, max = 30) int maxPairs,
      @ForAll long seed) {
    WaveRequest request = request(essays, past, cap, maxPairs, seed);
    List<Pair> wave = selector.select(request);
    assertThat(wave.size()).isLessThanOrEqualTo(maxPairs);
    Set<String> seen = new HashSet<>();
    for (Pair p : wave) {
      assertThat(seen.add(p.first())).as("%s twice in one wave", p.first()).isTrue();
      assertThat(seen.add(p.second())).as("%s twice in one wave", p.second()).isTrue();
    }
    if (cap > 0) {
      Map<String, Integer> before = request.appearances();
      for (String id : seen) {
        assertThat(before.getOrDefault(id, 0) + 1).as("appearances of %s", id).isLessThanOrEqualTo(cap);
      }
    }
    // A full wave: the greedy matching leaves at most one eligible essay out when pairs are not limited.
    if (maxPairs >= essays / 2) {
      assertThat(request.eligibleEssays().size() - seen.size()).isLessThanOrEqualTo(1);
    }
  }

  @Property(tries = 80)
  void theEssayShownFirstHasBeenShownFirstNoMoreThanItsPartner(
      @ForAll @IntRange(min = 2, max = 30) int essays, @ForAll @IntRange(min = 0, max = 80) int past,
      @ForAll long seed) {
    WaveRequest request = request(essays, past, 0, essays, seed);
    PresentationBalance before = new PresentationBalance(request.history());
    for (Pair p : selector.select(request)) {
      assertThat(before.skew(p.first())).isLessThanOrEqualTo(before.skew(p.second()));
    }
  }

  @Property(tries = 80)
  void aPairIsRepeatedOnlyWhenNoUnmetPairLeftForItsEssaysIsWorthAsMuch(
      @ForAll @IntRange(min = 3, max = 14) int essays, @ForAll @IntRange(min = 0, max = 90) int past,
      @ForAll long seed) {
    WaveRequest request = request(essays, past, 0, essays, seed);
    List<Pair> wave = selector.select(request);
    PresentationBalance history = new PresentationBalance(request.history());
    Set<String> inWave = new HashSet<>();
    wave.forEach(p -> {
      inWave.add(p.first());
      inWave.add(p.second());
    });
    for (Pair p : wave) {
      int met = history.met(p.first(), p.second());
      if (met == 0) {
        continue;
      }
      double chosen = AdaptivePairSelector.worth(request, p.first(), p.second())
          * Math.pow(AdaptivePairSelector.REPEAT_DISCOUNT, met);
      for (String k : request.essays()) {
        if (inWave.contains(k)) {
          continue; // a partner the matching gave to someone else
        }
        for (String e : List.of(p.first(), p.second())) {
          if (history.met(e, k) == 0) {
            assertThat(AdaptivePairSelector.worth(request, e, k)).as("unmet %s-%s passed over for %s", e, k, p)
                .isLessThanOrEqualTo(chosen);
          }
        }
      }
    }
  }

  @Property(tries = 30)
  void withoutGradesOrFitDifferencesEveryPairIsWorthTheSameAndWavesCoverBeforeRepeating(
      @ForAll @IntRange(min = 4, max = 16) int essays, @ForAll long seed) {
    List<String> ids = ids(essays);
    double[] zero = new double[essays];
    double[] one = new double[essays];
    java.util.Arrays.fill(one, 1.0);
    CurrentEstimate flat = CurrentEstimate.of(ids, zero, one);
    List<Pair> history = new ArrayList<>();
    Set<Set<String>> distinct = new HashSet<>();
    int allPairs = essays * (essays - 1) / 2;
    for (int w = 0; w < essays - 1; w++) {
      List<Pair> wave = selector.select(WaveRequest.of(ids, history, essays / 2, seed + w).withEstimate(flat));
      wave.forEach(p -> distinct.add(Set.of(p.first(), p.second())));
      history.addAll(wave);
      if (history.size() <= allPairs / 2) {
        assertThat(distinct).hasSize(history.size());
      }
    }
  }

  @Property(tries = 20)
  void theSameRequestGivesTheSameWave(@ForAll @IntRange(min = 2, max = 30) int essays, @ForAll long seed) {
    WaveRequest request = request(essays, 20, 0, essays, seed);
    assertThat(selector.select(request)).isEqualTo(selector.select(request));
  }

  @Property(tries = 30)
  void aStudentInDoubtAboutItsGradeMeetsTheAnchorAtItsBoundary(@ForAll long seed) {
    // Students s0..s5 spread, anchors a_lo (far below), a_b (at the boundary 0.0), a_hi (far above); student s0 sits
    // on the boundary and is in doubt: with everything else equal its best pair is the anchor at the boundary.
    List<String> ids = List.of("a_b", "a_hi", "a_lo", "s0");
    double[] score = {0.05, 3.0, -3.0, 0.0};
    double[] variance = {0.2, 0.2, 0.2, 0.2};
    CurrentEstimate estimate = new CurrentEstimate(ids, score, variance, null, new double[] {0, 0, 0, 0.5},
        new boolean[] {true, true, true, false}, new double[] {0.0});
    WaveRequest request = WaveRequest.of(ids, List.of(), 1, seed).withEstimate(estimate);
    List<Pair> wave = selector.select(request);
    assertThat(wave).hasSize(1);
    assertThat(Set.of(wave.get(0).first(), wave.get(0).second())).isEqualTo(Set.of("a_b", "s0"));
    double withDoubt = AdaptivePairSelector.worth(request, "s0", "a_b");
    CurrentEstimate certain = new CurrentEstimate(ids, score, variance, null, new double[4],
        new boolean[] {true, true, true, false}, new double[] {0.0});
    assertThat(withDoubt).isGreaterThan(AdaptivePairSelector.worth(request.withEstimate(certain), "s0", "a_b"));
  }

  private static WaveRequest request(int essays, int past, int cap, int maxPairs, long seed) {
    Random random = new Random(seed);
    List<String> ids = ids(essays);
    List<Pair> history = new ArrayList<>();
    for (int k = 0; k < past; k++) {
      int i = random.nextInt(essays);
      int j = random.nextInt(essays - 1);
      history.add(new Pair(ids.get(i), ids.get(j >= i ? j + 1 : j)));
    }
    double[] score = new double[essays];
    double[] variance = new double[essays];
    double[] doubt = new double[essays];
    boolean[] anchor = new boolean[essays];
    for (int i = 0; i < essays; i++) {
      score[i] = random.nextGaussian() * 2;
      variance[i] = 0.05 + random.nextDouble();
      anchor[i] = random.nextInt(5) == 0;
      doubt[i] = anchor[i] ? 0 : random.nextDouble() * 0.8;
    }
    CurrentEstimate estimate = new CurrentEstimate(ids, score, variance, null, doubt, anchor,
        new double[] {-1, 0.5});
    return new WaveRequest(ids, history, maxPairs, seed, cap, java.util.Optional.of(estimate));
  }

  private static List<String> ids(int n) {
    return IntStream.range(0, n).mapToObj(i -> String.format("e%02d", i)).toList();
  }
}
