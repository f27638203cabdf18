package org.cjassessment.app;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code CJ_LOG_LEVEL} and {@code CJ_LOG_APPENDER} before a command runs. Logback reads both in
 * {@code logback.xml} and never complains: an unknown level silently becomes DEBUG, and an appender name it does not
 * know (a typo, or {@code json} in lower case) leaves the root logger with no appender, so every log line is lost.
 */
final class LogSettings {

  static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
  static final List<String> APPENDERS = List.of("TEXT", "JSON");

  private LogSettings() {}

  /** The one-line reason a setting cannot work, or empty when both are usable (or unset). */
  static Optional<String> problem(Map<String, String> env) {
    String level = env.get("CJ_LOG_LEVEL");
    // Logback parses levels case-insensitively, so "debug" works as it is.
    if (level != null && !LEVELS.contains(level.strip().toUpperCase(Locale.ROOT))) {
      return Optional.of("CJ_LOG_LEVEL=" + level + " is not a log level; use one of " + String.join(", ", LEVELS)
          + " (default INFO)");
    }
    String appender = env.get("CJ_LOG_APPENDER");
    if (appender != null && !APPENDERS.contains(appender)) {
      boolean caseOnly = APPENDERS.contains(appender.strip().toUpperCase(Locale.ROOT));
      return Optional.of("CJ_LOG_APPENDER=" + appender + " is not " + String.join(" or ", APPENDERS)
          + (caseOnly ? " (upper case: the name selects an appender in logback.xml)" : "") + " (default TEXT)");
    }
    return Optional.empty();
  }
}
