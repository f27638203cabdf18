package org.cjassessment.judge;

/**
 * Token counts where no provider reported them (the simulated judge, cost estimates in the docs): about four
 * characters of English per token, the rule of thumb OpenAI and Anthropic both publish for their BPE tokenizers.
 * An approximation (±20 % on ordinary prose), never used where a provider returned real usage.
 */
public final class TokenEstimate {

  private TokenEstimate() {}

  public static int of(String text) {
    return (text.length() + 3) / 4;
  }
}
