package org.cjassessment.core.batch;

/** What asked a batch to advance. Every trigger goes through the same entry point and the same decision. */
public enum Trigger {
  INTAKE,
  WAVE_COMPLETE,
  MONITOR_SWEEP,
  STUCK_RECOVERY,
  OPERATOR
}
