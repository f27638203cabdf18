package org.cjassessment.judge;

/**
 * Prices per million tokens for the cost estimate a callback carries ({@code CJ_JUDGE_PRICE_INPUT_PER_MTOK},
 * {@code CJ_JUDGE_PRICE_OUTPUT_PER_MTOK}; the unit is the provider's currency, USD for both big providers). Cache
 * writes cost 1.25× input and cache reads 0.1× (Anthropic's published 5-minute cache multipliers); OpenAI's cached
 * tokens are not split out, so their estimate is an upper bound.
 */
public record Prices(double inputPerMtok, double outputPerMtok) {

  public static final Prices FREE = new Prices(0, 0);

  public Prices {
    if (!(inputPerMtok >= 0) || !(outputPerMtok >= 0) || Double.isInfinite(inputPerMtok)
        || Double.isInfinite(outputPerMtok)) {
      throw new IllegalArgumentException("prices must be finite and >= 0");
    }
  }

  public double cost(TokenUsage usage) {
    double uncached = Math.max(0, usage.promptTokens() - usage.cacheWriteTokens() - usage.cacheReadTokens());
    double input = uncached + 1.25 * usage.cacheWriteTokens() + 0.1 * usage.cacheReadTokens();
    return (input * inputPerMtok + usage.completionTokens() * outputPerMtok) / 1_000_000.0;
  }
}
