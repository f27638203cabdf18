package org.cjassessment.core.pairs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class CoveragePairSelectorProperties {

  private final PairSelector selector = new CoveragePairSelector();

  @Property(tries = 60)
  void aWaveUsesEveryEssayAtMostOnceAndRespectsTheLimit(
      @ForAll @IntRange(min = 0, max = 60) int essays, @ForAll @IntRange(min = 0, max = 40) int maxPairs,
      @ForAll long seed) {
    List<String> ids = ids(essays);
    List<Pair> wave = selector.select(ids, List.of(), maxPairs, seed);
    assertThat(wave.size()).isLessThanOrEqualTo(Math.min(maxPairs, essays / 2));
    assertThat(wave.size()).isEqualTo(Math.min(maxPairs, essays / 2));
    Set<String> seen = new HashSet<>();
    for (Pair p : wave) {
      assertThat(seen.add(p.first())).isTrue();
      assertThat(seen.add(p.second())).isTrue();
    }
  }

  @Property(tries = 40)
  void wavesCoverEveryPairBeforeRepeatingAndStayBalanced(
      @ForAll @IntRange(min = 2, max = 24) int essays, @ForAll long seed) {
    List<String> ids = ids(essays);
    List<Pair> history = new ArrayList<>();
    int allPairs = essays * (essays - 1) / 2;
    Set<Set<String>> distinct = new HashSet<>();
    int waves = 3 * essays;
    for (int w = 0; w < waves; w++) {
      List<Pair> wave = selector.select(ids, history, essays / 2, seed + w);
      for (Pair p : wave) {
        distinct.add(Set.of(p.first(), p.second()));
      }
      history.addAll(wave);
      if (history.size() <= allPairs / 2) {
        assertThat(distinct).hasSize(history.size()); // no repeat while most pairs are still unmet
      }
    }
    Map<String, Integer> appearances = new HashMap<>();
    Map<String, Integer> first = new HashMap<>();
    for (Pair p : history) {
      appearances.merge(p.first(), 1, Integer::sum);
      appearances.merge(p.second(), 1, Integer::sum);
      first.merge(p.first(), 1, Integer::sum);
    }
    int max = appearances.values().stream().max(Integer::compare).orElse(0);
    int min = ids.stream().mapToInt(id -> appearances.getOrDefault(id, 0)).min().orElse(0);
    assertThat(max - min).isLessThanOrEqualTo(2);
    for (String id : ids) {
      int a = first.getOrDefault(id, 0);
      int total = appearances.getOrDefault(id, 0);
      // Orientation alone cannot promise 2: two essays that both went first once more than second may have to
      // meet, and one of them goes first again. Preferring partners whose balance is opposite makes that rare
      // (4,000 random runs of this property: max skew 0 in 54 %, 3 in 0.05 %, never 4; 3 was 2 % of all CI runs of
      // this property when the bound was 2).
      assertThat(Math.abs(2 * a - total)).as("A/B skew of %s", id).isLessThanOrEqualTo(3);
    }
  }

  @Property(tries = 20)
  void theSameSeedGivesTheSamePairs(@ForAll @IntRange(min = 2, max = 40) int essays, @ForAll long seed) {
    List<String> ids = ids(essays);
    assertThat(selector.select(ids, List.of(), 100, seed)).isEqualTo(selector.select(ids, List.of(), 100, seed));
  }

  private static List<String> ids(int n) {
    return IntStream.range(0, n).mapToObj(i -> "s" + i).toList();
  }
}
