package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.cjassessment.app.runtime.ConsumersConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** `cj consumers` configuration: CJ_* variables read, validated, and a mistake is one line with exit 2. */
class ConsumersCommandTest {

  @AfterEach
  void restoreEnvironment() {
    CjCommand.useEnvironment(System::getenv);
  }

  @Test
  void settingsComeFromTheEnvironment() {
    ConsumersConfig c = ConsumersConfig.fromEnvironment(Map.of("CJ_TOPIC_COMPLETED", "my.completed",
        "CJ_CONSUMERS_GROUP_PREFIX", "billing", "CJ_CONSUMERS_DEAD_LETTER_TOPIC", "my.dlq",
        "CJ_CONSUMERS_MAX_ATTEMPTS", "7", "CJ_INBOX_RETENTION_HOURS", "48", "CJ_CREDITS_OPENING_BALANCE", "500"));
    assertThat(c.settings().topics().completed()).isEqualTo("my.completed");
    assertThat(c.settings().topics().deadLetters()).isEqualTo("my.dlq");
    assertThat(c.settings().groupPrefix()).isEqualTo("billing");
    assertThat(c.settings().maxAttempts()).isEqualTo(7);
    assertThat(c.settings().retention()).hasHours(48);
    assertThat(c.settings().openingBalance()).isEqualTo(500);
  }

  @Test
  void mistakesExitWithTwoAndOneLine() {
    CjCommand.useEnvironment(() -> Map.of("CJ_CONSUMERS_MAX_ATTEMPTS", "0"));
    AuditCommandTest.Run bad = AuditCommandTest.run("consumers");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("cj consumers: CJ_CONSUMERS_MAX_ATTEMPTS=0 is outside 1..100 (default 5)\n");
    CjCommand.useEnvironment(() -> Map.of("CJ_DB_URL", "jdbc:postgresql://localhost/x"));
    AuditCommandTest.Run half = AuditCommandTest.run("consumers");
    assertThat(half.exit()).isEqualTo(2);
    assertThat(half.err()).contains("set both CJ_DB_URL and CJ_KAFKA_BOOTSTRAP_SERVERS, or neither");
  }
}
