package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cj audit logs` over JSON log lines shaped as the two log events are (README, "Log events"). */
class LogAuditCommandTest {

  private static String finalized(String batch) {
    return "{\"@timestamp\":\"2025-11-15T18:59:43.007Z\",\"message\":\"batch finalized\",\"logger_name\":"
        + "\"cj.events.batch_finalized\",\"level\":\"INFO\",\"log_event\":\"batch.finalized\",\"batch_id\":\""
        + batch + "\",\"final_state\":\"COMPLETED\"}";
  }

  private static String published(String batch, String type) {
    return "{\"message\":\"event published\",\"log_event\":\"event.published\",\"event_type\":\"" + type
        + "\",\"message_key\":\"" + batch + "\",\"event_id\":\"e\"}";
  }

  @Test
  void aBatchFinalizedOrPublishedTwiceIsFlaggedAndExitsOne(@TempDir Path dir) throws Exception {
    String completed = AuditCommand.COMPLETED;
    Path first = dir.resolve("a.jsonl");
    Path second = dir.resolve("b.jsonl");
    Files.write(first, List.of(finalized("b1"), published("b1", completed), published("b1",
        "huleedu.resource.consumption.v1"), "plain text line", finalized("b2"), published("b2", completed)));
    Files.write(second, List.of(finalized("b2"), published("b3", completed), published("b3", completed), ""));
    AuditCommandTest.Run r = AuditCommandTest.run("audit", "logs", first.toString(), second.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("batch_id,finalizations,publications,flagged\nb2,2,1,true\nb3,0,2,true\n");
    assertThat(r.err()).contains("10 lines (2 not JSON), 3 batches, 2 with more than one");

    Path clean = dir.resolve("clean.jsonl");
    Files.write(clean, List.of(finalized("b1"), published("b1", completed)));
    AuditCommandTest.Run ok = AuditCommandTest.run("audit", "logs", "--all", clean.toString());
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("b1,1,1,false");
    assertThat(AuditCommandTest.run("audit", "logs", dir.resolve("missing").toString()).exit()).isEqualTo(2);
  }
}
