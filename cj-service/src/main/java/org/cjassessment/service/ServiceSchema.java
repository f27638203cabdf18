package org.cjassessment.service;

import javax.sql.DataSource;
import org.cjassessment.inbox.Inbox;
import org.cjassessment.outbox.OutboxSchema;
import org.flywaydb.core.Flyway;

/** Brings the database to the current schema: the outbox's, the inbox's and the service's own migrations. */
public final class ServiceSchema {

  private ServiceSchema() {}

  public static void migrate(DataSource dataSource) {
    OutboxSchema.migrate(dataSource);
    Inbox.migrate(dataSource);
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration/cj_service")
        .table("cj_service_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }
}
