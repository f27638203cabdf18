package org.cjassessment.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.cjassessment.embedded.EmbeddedInfrastructure;
import org.cjassessment.embedded.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A second class using the fixture: it must get the servers the first class started, not new ones. */
@ExtendWith(SharedInfrastructure.class)
class SharedInfrastructureReuseTest {

  @Test
  void reusesTheServersOfThisJvm(EmbeddedInfrastructure injected, EmbeddedKafka kafka) {
    EmbeddedInfrastructure first = FirstSeenInfrastructure.recordOrGet(injected);

    assertThat(injected).isSameAs(first).isSameAs(SharedInfrastructure.get());
    assertThat(kafka.bootstrapServers()).isEqualTo(first.kafka().bootstrapServers());
    assertThat(injected.database().jdbcUrl()).isEqualTo(first.database().jdbcUrl());
    assertThat(SharedInfrastructure.startsInThisJvm()).isEqualTo(1);
  }
}
