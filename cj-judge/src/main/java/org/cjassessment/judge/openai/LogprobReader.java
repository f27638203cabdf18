package org.cjassessment.judge.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P(Essay A is better) from a completion's {@code logprobs}: find the token that carries the winner's letter (the
 * "A" or "B" of {@code "winner":"Essay A"}), read the log-probabilities of the "A" and "B" alternatives among its
 * {@code top_logprobs}, and normalise: p = P(A) / (P(A) + P(B)). When only the chosen letter is listed, the other
 * gets the mass left over (1 − P(chosen)). Empty when the server sent no logprobs or the token cannot be found.
 */
final class LogprobReader {

  private static final Pattern WINNER = Pattern.compile("\"winner\"\\s*:\\s*\"Essay ([AB])\"");

  private LogprobReader() {}

  static OptionalDouble probabilityA(String content, JsonNode logprobs) {
    JsonNode tokens = logprobs.path("content");
    if (!tokens.isArray() || tokens.isEmpty()) {
      return OptionalDouble.empty();
    }
    StringBuilder text = new StringBuilder();
    int[] starts = new int[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      starts[i] = text.length();
      text.append(tokens.get(i).path("token").asText(""));
    }
    Matcher m = WINNER.matcher(text);
    if (!m.find()) {
      return OptionalDouble.empty();
    }
    int letterAt = m.start(1);
    int index = -1;
    for (int i = 0; i < tokens.size(); i++) {
      int end = i + 1 < tokens.size() ? starts[i + 1] : text.length();
      if (starts[i] <= letterAt && letterAt < end) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      return OptionalDouble.empty();
    }
    JsonNode token = tokens.get(index);
    double a = 0;
    double b = 0;
    for (JsonNode alt : token.path("top_logprobs")) {
      String letter = letterOf(alt.path("token").asText(""));
      double p = Math.exp(alt.path("logprob").asDouble(Double.NEGATIVE_INFINITY));
      if ("A".equals(letter)) {
        a += p;
      } else if ("B".equals(letter)) {
        b += p;
      }
    }
    String chosen = m.group(1);
    if (a == 0 && b == 0) {
      double p = Math.exp(token.path("logprob").asDouble(Double.NEGATIVE_INFINITY));
      if (!(p > 0)) {
        return OptionalDouble.empty();
      }
      a = chosen.equals("A") ? p : 1 - p;
      b = 1 - a;
    } else if (a == 0 || b == 0) {
      double listed = a + b;
      if (chosen.equals("A") == (a > 0)) {
        // the chosen letter is listed, the other is not: it had at most what is left
        double other = Math.max(0, 1 - listed);
        a = a > 0 ? a : other;
        b = b > 0 ? b : other;
      }
    }
    double sum = a + b;
    return sum > 0 && Double.isFinite(sum) ? OptionalDouble.of(a / sum) : OptionalDouble.empty();
  }

  /** "A" for tokens like "A", " A", "Essay A", "\"A"; else null. */
  private static String letterOf(String token) {
    String t = token.replace("Essay", "").replaceAll("[\\s\"]", "");
    return t.equals("A") || t.equals("B") ? t : null;
  }
}
