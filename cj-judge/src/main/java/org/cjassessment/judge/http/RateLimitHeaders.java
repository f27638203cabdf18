package org.cjassessment.judge.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a provider asked us to wait, from a 429's headers: {@code retry-after} in seconds or as an HTTP date
 * (RFC 9110), else the reset time of an exhausted limit — OpenAI's {@code x-ratelimit-reset-requests|tokens}
 * (a duration such as {@code 1s}, {@code 6m0s}, {@code 120ms}) or Anthropic's
 * {@code anthropic-ratelimit-*-reset} (an RFC 3339 instant).
 */
public final class RateLimitHeaders {

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
  private static final String[] OPENAI = {"requests", "tokens"};
  private static final String[] ANTHROPIC = {"requests", "tokens", "input-tokens", "output-tokens"};

  private RateLimitHeaders() {}

  public static Optional<Duration> waitFrom(HttpHeaders headers, Instant now) {
    Optional<String> retryAfter = headers.firstValue("retry-after");
    if (retryAfter.isPresent()) {
      Optional<Duration> d = retryAfter(retryAfter.get().strip(), now);
      if (d.isPresent()) {
        return d;
      }
    }
    Duration longest = null;
    for (String kind : OPENAI) {
      if (exhausted(headers, "x-ratelimit-remaining-" + kind)) {
        Optional<Duration> d = headers.firstValue("x-ratelimit-reset-" + kind).flatMap(RateLimitHeaders::duration);
        longest = longer(longest, d);
      }
    }
    for (String kind : ANTHROPIC) {
      if (exhausted(headers, "anthropic-ratelimit-" + kind + "-remaining")) {
        Optional<Duration> d = headers.firstValue("anthropic-ratelimit-" + kind + "-reset")
            .flatMap(v -> instant(v).map(i -> Duration.between(now, i)));
        longest = longer(longest, d);
      }
    }
    return Optional.ofNullable(longest).map(d -> d.isNegative() ? Duration.ZERO : d);
  }

  static Optional<Duration> retryAfter(String value, Instant now) {
    try {
      double seconds = Double.parseDouble(value);
      return seconds >= 0 ? Optional.of(Duration.ofMillis(Math.round(seconds * 1000))) : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  /** {@code 1s}, {@code 6m0s}, {@code 1m3.5s}, {@code 120ms}, {@code 2h} (OpenAI's format). */
  static Optional<Duration> duration(String value) {
    String v = value.strip();
    Matcher m = DURATION_PART.matcher(v);
    long millis = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return Optional.empty();
      }
      double n = Double.parseDouble(m.group(1));
      millis += Math.round(switch (m.group(2)) {
        case "h" -> n * 3_600_000;
        case "m" -> n * 60_000;
        case "s" -> n * 1000;
        default -> n;
      });
      end = m.end();
    }
    return end == v.length() && end > 0 ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
  }

  private static Optional<Instant> instant(String value) {
    try {
      return Optional.of(Instant.parse(value.strip()));
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(java.time.OffsetDateTime.parse(value.strip()).toInstant());
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  private static boolean exhausted(HttpHeaders headers, String name) {
    return headers.firstValue(name).map(v -> v.strip().equals("0")).orElse(false);
  }

  private static Duration longer(Duration a, Optional<Duration> b) {
    return b.isEmpty() ? a : a == null || b.get().compareTo(a) > 0 ? b.get() : a;
  }
}
