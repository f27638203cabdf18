package org.cjassessment.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Log levels for the commands whose console output is for a person (progress, a ranking): warnings only. */
final class Logging {

  private Logging() {}

  /** Root at WARN and the broker's own chatter at ERROR, unless CJ_LOG_LEVEL asks for something else. */
  static void quietForConsole(Map<String, String> env) {
    if (env.get("CJ_LOG_LEVEL") != null && !env.get("CJ_LOG_LEVEL").isBlank()) {
      return;
    }
    level(Logger.ROOT_LOGGER_NAME, Level.WARN);
    // "Performing controller activation", client retries on a fresh broker: expected, and not the user's concern
    level("kafka", Level.ERROR);
    level("org.apache.kafka", Level.ERROR);
    level("state.change.logger", Level.ERROR);
  }

  private static void level(String name, Level level) {
    if (LoggerFactory.getLogger(name) instanceof Logger logger) {
      logger.setLevel(level);
    }
  }
}
