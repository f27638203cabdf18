package org.cjassessment.consumers;

import javax.sql.DataSource;
import org.cjassessment.inbox.Inbox;
import org.flywaydb.core.Flyway;

/**
 * Each reference consumer owns its tables, with its own Flyway location and history table, as three separate
 * services would; they can share one database (as {@code cj consumers} does) or not. Plus the inbox's table.
 */
public final class ConsumersSchema {

  /** Flyway location suffix and history table of each consumer. */
  public static final String[] LOCATIONS = {"cj_credits", "cj_results", "cj_lifecycle"};

  private ConsumersSchema() {}

  public static void migrate(DataSource dataSource) {
    Inbox.migrate(dataSource);
    for (String location : LOCATIONS) {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration/" + location)
          .table(location + "_schema_history")
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    }
  }
}
