package org.cjassessment.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A temporary directory owned by this JVM for a server's lifetime: it holds a file lock that the operating system
 * releases when the JVM dies, however it dies. A later start can therefore tell the directories of killed JVMs
 * (a test fork killed on timeout, {@code kill -9} of {@code cj demo}) from live ones and clean them up, including
 * a PostgreSQL server that would otherwise outlive its JVM.
 */
final class ScratchDirectory implements OwnedDirectory {

  private static final String OWNER_LOCK = "owner.lock";
  /** Younger directories may belong to a JVM that has created them but not locked them yet. */
  private static final Duration ORPHAN_MIN_AGE = Duration.ofMinutes(10);

  private final Path path;
  private final FileChannel lockChannel;

  private ScratchDirectory(Path path, FileChannel lockChannel) {
    this.path = path;
    this.lockChannel = lockChannel;
  }

  static ScratchDirectory create(String prefix) {
    Path path = TempDirectories.create(prefix);
    try {
      FileChannel channel = FileChannel.open(path.resolve(OWNER_LOCK), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      channel.lock();
      return new ScratchDirectory(path, channel);
    } catch (IOException e) {
      TempDirectories.deleteQuietly(path);
      throw new UncheckedIOException("cannot lock " + path, e);
    }
  }

  @Override
  public Path path() {
    return path;
  }

  /**
   * Deletes directories named {@code prefix*} whose owning JVM is gone, after {@code releaseResources} has had a
   * chance to stop what still runs from them.
   */
  static void sweepOrphans(String prefix, Consumer<Path> releaseResources) {
    for (Path candidate : candidates(prefix)) {
      if (isOrphan(candidate)) {
        releaseResources.accept(candidate);
        TempDirectories.deleteQuietly(candidate);
      }
    }
  }

  private static List<Path> candidates(String prefix) {
    try (Stream<Path> children = Files.list(TempDirectories.root())) {
      return children.filter(child -> child.getFileName().toString().startsWith(prefix))
          .filter(Files::isDirectory)
          .collect(Collectors.toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  private static boolean isOrphan(Path candidate) {
    Path lockFile = candidate.resolve(OWNER_LOCK);
    try {
      if (!Files.exists(lockFile)
          || Files.getLastModifiedTime(lockFile).toInstant().isAfter(Instant.now().minus(ORPHAN_MIN_AGE))) {
        return false;
      }
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
          FileLock lock = channel.tryLock()) {
        return lock != null;
      }
    } catch (OverlappingFileLockException ownedByThisJvm) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes the directory, then releases the lock. */
  @Override
  public void close() {
    TempDirectories.deleteQuietly(path);
    try {
      lockChannel.close();
    } catch (IOException ignored) {
      // closing releases the lock; the JVM's exit would too
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
