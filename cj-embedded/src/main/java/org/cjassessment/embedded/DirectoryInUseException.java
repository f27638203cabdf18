package org.cjassessment.embedded;

import java.nio.file.Path;

/** A persistent server directory is locked by another live process (e.g. a second {@code cj assess --out DIR}). */
public final class DirectoryInUseException extends RuntimeException {

  private final Path directory;

  public DirectoryInUseException(Path directory) {
    super(directory + " is in use by another running process; wait for it to finish or use another directory");
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }
}
