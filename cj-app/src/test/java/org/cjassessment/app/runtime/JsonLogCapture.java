package org.cjassessment.app.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/** Writes one logger's events to a file with the same encoder as CJ_LOG_APPENDER=JSON, while it is open. */
final class JsonLogCapture implements AutoCloseable {

  private final Logger logger;
  private final FileAppender<ILoggingEvent> appender;

  private JsonLogCapture(Logger logger, FileAppender<ILoggingEvent> appender) {
    this.logger = logger;
    this.appender = appender;
  }

  static JsonLogCapture start(String loggerName, Path file) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.start();
    Logger logger = context.getLogger(loggerName);
    logger.addAppender(appender);
    return new JsonLogCapture(logger, appender);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
