package org.cjassessment.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The stable log event of a publication: one INFO line per row the broker acknowledged and the relay marked
 * published. Its fields are MDC entries, so the JSON appender emits them as top-level fields that
 * {@code cj audit logs} counts:
 *
 * <pre>{"message":"event published ...","log_event":"event.published","event_type":"huleedu.cj_assessment.completed.v1",
 *  "event_id":"…","message_key":"bos-42","topic":"…","relay":"cj-1-relay",...}</pre>
 *
 * The logger is {@code cj.events.published.<event type>}, so an operator can silence a high-volume type (the service
 * silences its comparison requests in logback.xml) without losing the batch events. {@code message_key} is the
 * record key: the aggregate id unless the appender chose another key (for batch events, the upstream batch id).
 */
public final class PublicationLog {

  public static final String LOGGER_PREFIX = "cj.events.published";
  public static final String LOG_EVENT = "log_event";
  public static final String EVENT_PUBLISHED = "event.published";
  public static final String EVENT_TYPE = "event_type";
  public static final String EVENT_ID = "event_id";
  public static final String MESSAGE_KEY = "message_key";
  public static final String TOPIC = "topic";
  public static final String RELAY = "relay";

  private PublicationLog() {}

  static void published(String relay, ClaimedRow row) {
    Logger log = LoggerFactory.getLogger(LOGGER_PREFIX + "." + row.eventType());
    if (!log.isInfoEnabled()) {
      return;
    }
    try (MDC.MDCCloseable a = MDC.putCloseable(LOG_EVENT, EVENT_PUBLISHED);
        MDC.MDCCloseable b = MDC.putCloseable(EVENT_TYPE, row.eventType());
        MDC.MDCCloseable c = MDC.putCloseable(EVENT_ID, row.eventId().toString());
        MDC.MDCCloseable d = MDC.putCloseable(MESSAGE_KEY, row.key());
        MDC.MDCCloseable e = MDC.putCloseable(TOPIC, row.topic());
        MDC.MDCCloseable f = MDC.putCloseable(RELAY, relay)) {
      log.info("event published: event_type={} message_key={} event_id={} topic={}", row.eventType(), row.key(),
          row.eventId(), row.topic());
    }
  }
}
