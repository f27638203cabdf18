package org.cjassessment.embedded;

import java.nio.file.Path;

/**
 * A directory a server lives in and this JVM holds a lock on while the server runs: a {@link ScratchDirectory}
 * (deleted on close) or a {@link PersistentDirectory} (kept, for {@code cj assess}'s resumable runs).
 */
interface OwnedDirectory extends AutoCloseable {

  Path path();

  /** Releases the lock; a scratch directory is deleted first. */
  @Override
  void close();
}
