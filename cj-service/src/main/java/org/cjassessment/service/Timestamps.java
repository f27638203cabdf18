package org.cjassessment.service;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 timestamps as producers write them: any offset ({@code Z}, {@code +01:00}, {@code -05:00}, {@code +0100}),
 * any number of fractional digits, or no offset at all (Python's naive {@code datetime.isoformat()}, taken as UTC,
 * the upstream services' convention).
 */
public final class Timestamps {

  private static final DateTimeFormatter OFFSET = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
      .toFormatter();

  private Timestamps() {}

  /** @throws DateTimeParseException when the text is no ISO-8601 date-time */
  public static Instant parse(String text) {
    String t = text.strip();
    var parsed = OFFSET.parseBest(t.replace(' ', 'T'), OffsetDateTime::from, LocalDateTime::from);
    return parsed instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
  }
}
