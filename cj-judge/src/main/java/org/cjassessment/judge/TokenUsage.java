package org.cjassessment.judge;

/**
 * Tokens one comparison used. {@code promptTokens} counts every input token (for Anthropic: uncached + cache
 * writes + cache reads); the cache split is kept so the cost estimate can price cache reads and writes.
 */
public record TokenUsage(int promptTokens, int completionTokens, int cacheWriteTokens, int cacheReadTokens) {

  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
