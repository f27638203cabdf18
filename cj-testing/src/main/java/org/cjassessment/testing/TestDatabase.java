package org.cjassessment.testing;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** An empty database of its own on the shared PostgreSQL server: what a test class needs to connect. */
public record TestDatabase(String name, String jdbcUrl, String username, String password) {

  /** Unpooled connections; wrap in a pool if the code under test expects one. */
  public DataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl);
    dataSource.setUser(username);
    dataSource.setPassword(password);
    return dataSource;
  }
}
