package org.cjassessment.judge.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.cjassessment.judge.PairToJudge;
import org.cjassessment.judge.TokenEstimate;
import org.junit.jupiter.api.Test;

/**
 * The README's cost figures ("about 1,500 input tokens per comparison of two ~400-word essays: ≈390 for the
 * instruction block, ≈560 per essay") measured on the default prompt, at four characters per token.
 */
class PromptSizeTest {

  /** Ordinary secondary-school prose: 4.6 letters a word on average, as English essays have. */
  static String essay(int words) {
    String[] text = ("Many people believe that school uniforms make students equal, but I think the question is "
        + "more complicated than that. When everyone wears the same clothes, nobody can show off expensive "
        + "brands, and this may help students who cannot afford them. On the other hand, uniforms cost money "
        + "too, and some families struggle to buy them every year. I also think students should learn to "
        + "express themselves and make their own choices about what they wear.").split(" ");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < words; i++) {
      out.append(i == 0 ? "" : " ").append(text[i % text.length]);
    }
    return out.toString();
  }

  @Test
  void aComparisonOfTwo400WordEssaysIsAbout1500InputTokens() {
    PairToJudge pair = new PairToJudge("c", "a", essay(400), "b", essay(400),
        Optional.of("Write an argumentative essay: should students have to wear school uniforms? Give reasons."),
        Optional.empty(), Optional.empty(), OptionalDouble.empty(), OptionalInt.empty());
    PromptTemplate.Rendered r = PromptTemplate.defaults().render(pair);
    int instructions = TokenEstimate.of(r.instructions());
    int perEssay = TokenEstimate.of(essay(400));
    int total = instructions + TokenEstimate.of(r.essays());
    assertThat(instructions).isBetween(360, 420);
    assertThat(perEssay).isBetween(520, 600);
    assertThat(total).isBetween(1_400, 1_600);
    assertThat(r.essays()).doesNotContain("# Rubric");
    assertThat(r.instructions()).doesNotContain("Many people believe");
  }
}
