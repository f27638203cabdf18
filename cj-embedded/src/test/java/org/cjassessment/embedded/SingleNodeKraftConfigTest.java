package org.cjassessment.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SingleNodeKraftConfigTest {

  private static final Path DATA = Path.of("/tmp/data");

  @Test
  void listensOnLoopbackOnly() {
    Properties props = SingleNodeKraftConfig.properties(DATA, 9092, 9093, Map.of());

    assertThat(props.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
    assertThat(props.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092");
    assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
  }

  @Test
  void internalTopicsNeedOnlyTheOneBroker() {
    Properties props = SingleNodeKraftConfig.properties(DATA, 9092, 9093, Map.of());

    assertThat(props).containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("group.initial.rebalance.delay.ms", "0")
        .containsEntry("auto.create.topics.enable", "true");
  }

  @Test
  void overridesReplaceDefaults() {
    Properties props = SingleNodeKraftConfig.properties(DATA, 9092, 9093, Map.of("num.partitions", "6"));

    assertThat(props.getProperty("num.partitions")).isEqualTo("6");
  }
}
