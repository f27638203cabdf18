package org.cjassessment.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.cjassessment.embedded.EmbeddedDatabase;
import org.cjassessment.embedded.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What cj-embedded promises beyond "it starts": idempotent topics, partition counts, safe database names. */
@ExtendWith(SharedInfrastructure.class)
class EmbeddedServersContractTest {

  @Test
  void createTopicsIsIdempotentAndHonoursPartitions(EmbeddedKafka kafka) throws Exception {
    kafka.createTopics(3, "contract-scores", "contract-judgements");
    kafka.createTopics(3, "contract-scores");

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      assertThat(admin.describeTopics(List.of("contract-scores", "contract-judgements"))
          .allTopicNames().get().values())
          .allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3));
    }
  }

  @Test
  void createdDatabaseAcceptsConnections(EmbeddedDatabase database) throws SQLException {
    String jdbcUrl = database.createDatabase("contract_db");

    assertThat(jdbcUrl).isEqualTo(database.jdbcUrl("contract_db")).startsWith("jdbc:postgresql://127.0.0.1:");
    try (Connection connection = database.dataSource("contract_db").getConnection()) {
      assertThat(connection.getCatalog()).isEqualTo("contract_db");
    }
  }

  @Test
  void rejectsDatabaseNamesThatWouldNeedQuoting(EmbeddedDatabase database) {
    assertThatThrownBy(() -> database.createDatabase("Robert'); DROP DATABASE postgres;--"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
