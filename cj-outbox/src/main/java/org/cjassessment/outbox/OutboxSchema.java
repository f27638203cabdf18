package org.cjassessment.outbox;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Installs and upgrades the outbox table with Flyway.
 *
 * <p>The module keeps its own history table ({@value #HISTORY_TABLE}) so its migrations never interleave with the
 * host service's version numbers: the service runs its own Flyway first (or after), then calls {@link #migrate}.
 */
public final class OutboxSchema {

  /** The outbox table. */
  public static final String TABLE = "outbox";

  /** The NOTIFY channel appends signal on; the relay LISTENs to it. */
  public static final String CHANNEL = "cj_outbox";

  /** Flyway's history table for this module's migrations (not the host's {@code flyway_schema_history}). */
  public static final String HISTORY_TABLE = "cj_outbox_schema_history";

  static final String LOCATION = "classpath:db/migration/cj_outbox";

  private OutboxSchema() {}

  /**
   * Applies pending outbox migrations in the connection's default schema. Idempotent; safe to call on every start
   * and from several instances at once (Flyway takes a lock).
   *
   * @return the number of migrations applied by this call
   */
  public static int migrate(DataSource dataSource) {
    MigrateResult result =
        Flyway.configure(OutboxSchema.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            .table(HISTORY_TABLE)
            // the host's tables may already be there: baseline at 0 so our V1 still runs
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
    return result.migrationsExecuted;
  }
}
