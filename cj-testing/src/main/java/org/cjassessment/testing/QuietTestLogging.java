package org.cjassessment.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;

/**
 * Logback configuration for test JVMs that have no logback file of their own: INFO to the console, but the
 * embedded servers' own chatter (Kafka logs every config it reads) only from WARN up. Logback's default would log
 * everything at DEBUG. A module's {@code logback-test.xml} or {@code logback.xml} still wins: this configurator
 * then steps aside. Registered through {@code META-INF/services}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class QuietTestLogging extends ContextAwareBase implements Configurator {

  /** The servers' loggers, and ours: SharedInfrastructure prints the startup summary to stderr itself. */
  static final List<String> SERVER_LOGGERS = List.of(
      "kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper", "io.zonky",
      "org.cjassessment.embedded", "cj.events.published.huleedu.cj_assessment.comparison_requested");

  @Override
  public ExecutionStatus configure(LoggerContext loggerContext) {
    if (moduleHasOwnConfiguration()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    Logger root = loggerContext.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console(loggerContext));
    SERVER_LOGGERS.forEach(name -> loggerContext.getLogger(name).setLevel(Level.WARN));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private boolean moduleHasOwnConfiguration() {
    ClassLoader loader = QuietTestLogging.class.getClassLoader();
    return System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }

  private static ConsoleAppender<ILoggingEvent> console(LoggerContext loggerContext) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(loggerContext);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(loggerContext);
    console.setName("console");
    console.setEncoder(encoder);
    console.start();
    return console;
  }
}
