package org.cjassessment.service.batch;

import org.cjassessment.core.batch.Decision;
import org.cjassessment.core.batch.Trigger;

/** What one {@code advance} call did. {@code decision} is null when the batch does not exist. */
public record AdvanceResult(long batchId, Trigger trigger, Decision decision) {

  public boolean found() {
    return decision != null;
  }

  public boolean terminalTransition() {
    return decision instanceof Decision.Finalize || decision instanceof Decision.Fail;
  }
}
