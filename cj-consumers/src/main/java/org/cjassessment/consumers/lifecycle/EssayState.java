package org.cjassessment.consumers.lifecycle;

/**
 * An essay's CJ phase: waiting, then exactly one terminal state. Terminal states are absorbing, so an essay never
 * moves backwards, whatever order or how often the events arrive. {@link LifecycleStore} applies the same rule in
 * SQL (a conditional upsert) so that it holds under concurrent transactions too.
 */
public enum EssayState {
  AWAITING_CJ,
  CJ_SUCCESS,
  CJ_FAILED;

  public boolean terminal() {
    return this != AWAITING_CJ;
  }

  /** The state after {@code event} proposes {@code next}: only AWAITING_CJ may change, and only to a terminal one. */
  public EssayState apply(EssayState next) {
    return terminal() ? this : next;
  }
}
