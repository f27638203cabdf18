package org.cjassessment.judge;

/**
 * What a worker has done so far.
 *
 * @param received request records polled
 * @param judged verdict callbacks the broker acknowledged
 * @param errored error callbacks the broker acknowledged (provider failures, unusable requests with an id)
 * @param rejected records with no correlation id or callback topic: logged and skipped, no callback possible
 * @param inFlight records polled and not yet answered (held in memory)
 * @param maxInFlight the most ever held at once (never above the configured bound)
 * @param maxConcurrentCalls the most judge calls ever running at once (never above the concurrency)
 */
public record JudgeStats(long received, long judged, long errored, long rejected, int inFlight, int maxInFlight,
    int maxConcurrentCalls) {

  /** Callbacks published and acknowledged. */
  public long answered() {
    return judged + errored;
  }
}
