package org.cjassessment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.batch.EssayInput;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Student text must never reach a log. Database errors are what usually leaks it: Jdbi renders bound values and
 * PostgreSQL adds "Failing row contains (...)". Both are switched off in {@link Database}; this proves it on real
 * failing statements that carry an essay's text.
 */
@ExtendWith(SharedInfrastructure.class)
class NoEssayTextInErrorsTest {

  private static final String SECRET = "The secret essay sentence of a student " + UUID.randomUUID();

  @Test
  void databaseErrorsCarryNoEssayText() {
    try (ServiceHarness service = new ServiceHarness()) {
      long job = service.intake.submit(new BatchRequest("leak-" + UUID.randomUUID(), "evt-leak", UUID.randomUUID(),
          List.of(EssayInput.student("s1", "first"), EssayInput.student("s2", "second")), "swedish_8_anchor", 4,
          "u", null, null, null, "en", null, Map.of())).jobId();
      // A unique violation on a statement binding the text.
      Throwable duplicate = catchThrowable(() -> service.jdbi
          .useTransaction(h -> service.store.insertEssays(h, job, List.of(EssayInput.student("s1", SECRET)))));
      // A check violation: PostgreSQL's detail would quote the whole failing row, text included.
      Throwable check = catchThrowable(() -> service.jdbi.useHandle(h -> h.createUpdate("""
              INSERT INTO essays (batch_id, essay_id, is_anchor, anchor_grade, text) VALUES (:b, 'x', true, NULL, :t)
              """).bind("b", job).bind("t", SECRET).execute()));
      for (Throwable t : List.of(duplicate, check)) {
        assertThat(t).isNotNull();
        for (Throwable c = t; c != null; c = c.getCause()) {
          assertThat(String.valueOf(c.getMessage())).doesNotContain(SECRET).doesNotContain("Failing row");
          assertThat(c.toString()).doesNotContain(SECRET);
        }
      }
    }
  }
}
