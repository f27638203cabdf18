package org.cjassessment.core.bt;

/** How the abilities were pinned down. */
public enum Identification {
  /** Plain MLE on a strongly connected comparison graph: the textbook estimate, unique up to the centring. */
  MLE_STRONGLY_CONNECTED,
  /** A Gaussian prior keeps every ability finite whatever the graph (MAP estimate). */
  PRIOR,
  /**
   * Plain MLE was asked for but does not exist (some essay never lost or never won, or the graph falls apart):
   * abilities are fitted and centred within each strongly connected component and are comparable only inside it;
   * the ranking orders components by who beat whom. Essays alone in their component are flagged not identified.
   */
  MLE_PER_COMPONENT
}
