package org.cjassessment.service.intake;

/** Where essay texts live when a request carries storage references instead of text. */
public interface ContentStore {

  /**
   * @throws ContentUnavailableException when the text does not exist (permanent) or cannot be fetched now
   *     (transient: {@link ContentUnavailableException#transientFailure()})
   */
  String fetch(String storageId);

  /** A content store for requests that always carry inline text: every reference is unavailable. */
  static ContentStore none() {
    return id -> {
      throw new ContentUnavailableException("no content store is configured (set CJ_CONTENT_SERVICE_URL) to fetch "
          + "storage id " + id, false);
    };
  }
}
