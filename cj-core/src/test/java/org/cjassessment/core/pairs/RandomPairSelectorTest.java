package org.cjassessment.core.pairs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RandomPairSelectorTest {

  private final PairSelector selector = new RandomPairSelector();

  @Test
  void aWaveIsAMatchingOfTheEssaysUnderTheCap() {
    List<String> ids = IntStream.range(0, 11).mapToObj(i -> "e" + i).toList();
    List<Pair> history = new ArrayList<>(List.of(new Pair("e0", "e1"), new Pair("e0", "e2")));
    List<Pair> wave = selector.select(WaveRequest.of(ids, history, 100, 7).withCap(2));
    Set<String> seen = new HashSet<>();
    wave.forEach(p -> {
      assertThat(seen.add(p.first())).isTrue();
      assertThat(seen.add(p.second())).isTrue();
    });
    assertThat(seen).doesNotContain("e0"); // at the cap of 2
    assertThat(wave).hasSize(5);
  }

  @Test
  void differentSeedsGiveDifferentMatchingsAndTheSameSeedTheSame() {
    List<String> ids = IntStream.range(0, 30).mapToObj(i -> "e" + i).toList();
    assertThat(selector.select(ids, List.of(), 15, 1)).isEqualTo(selector.select(ids, List.of(), 15, 1));
    assertThat(selector.select(ids, List.of(), 15, 1)).isNotEqualTo(selector.select(ids, List.of(), 15, 2));
  }

  @Test
  void selectorKindsParseByTheirSettingName() {
    assertThat(SelectorKind.find("Adaptive")).contains(SelectorKind.ADAPTIVE);
    assertThat(SelectorKind.find(" random ")).contains(SelectorKind.RANDOM);
    assertThat(SelectorKind.find("swiss")).isEmpty();
    assertThat(SelectorKind.COVERAGE.selector()).isInstanceOf(CoveragePairSelector.class);
  }
}
