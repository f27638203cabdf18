package org.cjassessment.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.sql.DataSource;
import org.cjassessment.testing.SharedInfrastructure;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
class OutboxSchemaTest {

  @Test
  void composes_with_the_host_services_own_flyway_history_and_is_idempotent() {
    DataSource dataSource = SharedInfrastructure.freshDatabase().dataSource();
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/host_test").load().migrate();

    assertThat(OutboxSchema.migrate(dataSource)).as("V1 outbox, V2 outbox_sends").isEqualTo(2);
    assertThat(OutboxSchema.migrate(dataSource)).isZero();
    // and the host can keep migrating with its own history after ours exists
    assertThat(Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/host_test").load()
        .migrate().migrationsExecuted).isZero();

    Jdbi jdbi = Jdbi.create(dataSource);
    List<String> tables = jdbi.withHandle(h -> h.createQuery(
        """
        SELECT table_name FROM information_schema.tables
         WHERE table_schema = 'public' ORDER BY table_name
        """).mapTo(String.class).list());
    assertThat(tables).containsExactly("batches", "cj_outbox_schema_history", "flyway_schema_history", "outbox",
        "outbox_sends");
  }

  @Test
  void event_id_uniqueness_is_a_full_constraint_not_a_partial_index() {
    DataSource dataSource = SharedInfrastructure.freshDatabase().dataSource();
    OutboxSchema.migrate(dataSource);
    Jdbi jdbi = Jdbi.create(dataSource);

    Boolean partial = jdbi.withHandle(h -> h.createQuery(
        """
            SELECT i.indpred IS NOT NULL
              FROM pg_constraint c JOIN pg_index i ON i.indexrelid = c.conindid
             WHERE c.conname = 'outbox_event_id_key' AND c.contype = 'u'
            """).mapTo(Boolean.class).one());
    assertThat(partial).isFalse();
  }

  @Test
  void status_is_checked_by_the_database() {
    OutboxFixture fixture = OutboxFixture.create();
    OutboxMessage message = OutboxFixture.message("t.check", "k", "x");
    fixture.append(message);
    assertThatThrownBy(() -> fixture.execute("UPDATE outbox SET status = 'SENT'"))
        .hasStackTraceContaining("outbox_status_check");
  }
}
