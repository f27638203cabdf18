package org.cjassessment.app.assess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.cjassessment.service.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerJournalTest {

  @TempDir
  Path dir;

  @Test
  void answersSurviveReopeningAndATornLastLineIsDropped() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    try (AnswerJournal journal = AnswerJournal.open(file)) {
      journal.record("c1", Json.mapper().readTree("{\"winner\":\"A\"}"));
      journal.record("c2", Json.mapper().readTree("{\"winner\":\"B\"}"));
    }
    // a kill in the middle of the third write
    Files.writeString(file, "{\"correlation_id\":\"c3\",\"ans", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    try (AnswerJournal journal = AnswerJournal.open(file)) {
      assertThat(journal.size()).isEqualTo(2);
      assertThat(journal.answer("c2").orElseThrow().get("winner").asText()).isEqualTo("B");
      assertThat(journal.answer("c3")).isEmpty();
      journal.record("c3", Json.mapper().readTree("{\"winner\":\"A\"}"));
    }
    try (AnswerJournal journal = AnswerJournal.open(file)) {
      assertThat(journal.correlationIds()).containsExactlyInAnyOrder("c1", "c2", "c3");
    }
    assertThat(Files.readAllLines(file)).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{"));
  }
}
