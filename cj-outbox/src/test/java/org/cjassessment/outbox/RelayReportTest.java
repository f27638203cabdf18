package org.cjassessment.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The relay's retry WARN names the attempt truthfully, also during an outage longer than the ladder. */
class RelayReportTest {

  @Test
  void withinTheLadderTheAttemptIsCountedAgainstTheLimit() {
    assertThat(RelayReport.attempt(3, 12)).isEqualTo("attempt 3/12");
  }

  @Test
  void pastTheLadderDuringAnOutageItSaysWhyTheRowIsStillRetried() {
    assertThat(RelayReport.attempt(30, 12))
        .doesNotContain("30/12")
        .isEqualTo("attempt 30, broker unreachable: kept PENDING past maxAttempts=12, retried with capped backoff");
    assertThat(RelayReport.attempt(12, 12)).startsWith("attempt 12, broker unreachable");
  }
}
