package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.cjassessment.outbox.OutboxException;
import org.cjassessment.service.intake.ContentUnavailableException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The classification table of {@link Failures}, state by state (the real database cases: TransientFailuresTest). */
class FailuresTest {

  @ParameterizedTest(name = "SQLSTATE {0} is {1}")
  @CsvSource({
      "40001, TRANSIENT", // serialization failure
      "40P01, TRANSIENT", // deadlock
      "55P03, TRANSIENT", // lock not available (lock_timeout)
      "57014, TRANSIENT", // query cancelled (statement_timeout, pg_cancel_backend)
      "08006, TRANSIENT", // connection failure
      "57P01, TRANSIENT", // admin shutdown
      "57P03, TRANSIENT", // cannot connect now (starting up)
      "53300, TRANSIENT", // too many connections
      "42P01, TRANSIENT", // undefined table: the deployment is broken, do not dead-letter everything
      "22021, PERMANENT", // NUL byte
      "22023, PERMANENT", // the driver's "zero bytes may not occur in string parameters"
      "22008, PERMANENT", // timestamp out of range
      "23505, PERMANENT", // unique violation
      "54000, PERMANENT" // index row too large
  })
  void sqlStates(String state, Failures.Kind kind) {
    SQLException sql = new SQLException("x", state);
    assertThat(Failures.classify(sql)).isEqualTo(kind);
    // wherever it sits in the cause chain, e.g. under the outbox's exception
    assertThat(Failures.classify(new OutboxException("append failed", new RuntimeException(sql)))).isEqualTo(kind);
  }

  @Test
  void otherFailures() {
    assertThat(Failures.classify(new SQLTransientConnectionException("pool timeout"))).isEqualTo(
        Failures.Kind.TRANSIENT);
    assertThat(Failures.classify(new NotLeaderOrFollowerException("moving"))).isEqualTo(Failures.Kind.TRANSIENT);
    assertThat(Failures.classify(new ContentUnavailableException("503", true))).isEqualTo(Failures.Kind.TRANSIENT);
    assertThat(Failures.classify(new ContentUnavailableException("404", false))).isEqualTo(Failures.Kind.PERMANENT);
    assertThat(Failures.classify(new IllegalStateException("a bug"))).isEqualTo(Failures.Kind.PERMANENT);
    assertThat(Failures.classify(new OutboxException("no cause"))).isEqualTo(Failures.Kind.PERMANENT);
  }

  @Test
  void descriptionsOfDatabaseErrorsNameTheStateNotTheValue() {
    SQLException sql = new SQLException("invalid input syntax for type timestamp: \"an essay's words\"", "22007");
    assertThat(Failures.describe(sql)).contains("SQLSTATE 22007").doesNotContain("essay");
  }
}
