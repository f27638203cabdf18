package org.cjassessment.service;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The connection pool and Jdbi, configured so that essay text can never reach a log through an exception: Jdbi
 * renders statements without bound values, and the driver leaves out the server's "Failing row contains (...)"
 * detail.
 */
public final class Database {

  private Database() {}

  public static HikariDataSource pool(String jdbcUrl, String user, String password, int maxSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(maxSize);
    config.setPoolName("cj-db");
    // Pinned, not left to the server's default_transaction_isolation: the code is written for READ COMMITTED.
    // After SELECT ... FOR UPDATE waits for another transaction's lock, it must read the row as that transaction
    // committed it (advance re-reads the batch under its lock and decides on the winner's state), and guarded
    // updates (UPDATE ... WHERE status = 'PENDING') must re-check their condition on the newest row version.
    // Under REPEATABLE READ or SERIALIZABLE every such lost race would end in a serialization failure instead.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.addDataSourceProperty("logServerErrorDetail", "false");
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    return new HikariDataSource(config);
  }

  public static Jdbi jdbi(DataSource dataSource) {
    Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    // The statement's SQL, never its bound values (Jdbi's SHORT_STATEMENT and DETAIL renderings include them).
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(Database::withoutBoundValues);
    return jdbi;
  }

  static String withoutBoundValues(StatementException e) {
    var context = e.getStatementContext();
    String sql = context == null ? null : context.getRawSql();
    return e.getShortMessage() + (sql == null ? "" : " [statement: " + sql.replaceAll("\\s+", " ").trim() + "]");
  }
}
