package org.cjassessment.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A server directory that outlives the process ({@code cj assess --out DIR}): kept on close, locked while in use.
 * The lock is the same kind {@link ScratchDirectory} holds (released by the operating system however the JVM
 * dies), so a second process on the same directory is refused, and a process that gets the lock knows any
 * server still running from the directory was left by a dead JVM.
 */
final class PersistentDirectory implements OwnedDirectory {

  private static final String OWNER_LOCK = "owner.lock";

  private final Path path;
  private final FileChannel lockChannel;

  private PersistentDirectory(Path path, FileChannel lockChannel) {
    this.path = path;
    this.lockChannel = lockChannel;
  }

  /**
   * Creates the directory if needed and locks it.
   *
   * @throws DirectoryInUseException when another live process holds it
   */
  static PersistentDirectory lock(Path path) {
    FileChannel channel = null;
    try {
      Files.createDirectories(path);
      channel = FileChannel.open(path.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new DirectoryInUseException(path);
      }
      return new PersistentDirectory(path, channel);
    } catch (java.nio.channels.OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new DirectoryInUseException(path);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + path, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing was locked
      }
    }
  }

  @Override
  public Path path() {
    return path;
  }

  /** Releases the lock; the directory and its data stay. */
  @Override
  public void close() {
    closeQuietly(lockChannel);
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
