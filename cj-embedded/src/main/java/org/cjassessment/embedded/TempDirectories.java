package org.cjassessment.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories that the servers own for their lifetime. They live in RAM-backed {@code /dev/shm} when it
 * has room: PostgreSQL's data directory is about a thousand small files, and creating them there is several times
 * faster than on a virtual disk; nothing needs to survive the process. Otherwise they live in java.io.tmpdir.
 * The system property {@value #LOCATION_PROPERTY} chooses the place explicitly.
 */
final class TempDirectories {

  static final String LOCATION_PROPERTY = "cj.embedded.dir";
  /** Small containers mount a 64 MiB /dev/shm: not enough for a data directory plus its template. */
  private static final long MIN_FREE_RAM_DISK_BYTES = 1024L * 1024 * 1024;

  private TempDirectories() {}

  /** Where the scratch directories go; decided once per JVM. */
  static Path root() {
    return Root.PATH;
  }

  static Path create(String prefix) {
    try {
      return Files.createTempDirectory(root(), prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory in " + root(), e);
    }
  }

  /** Deletes the tree; leftovers in a temp dir are harmless, so failures only leave files behind. */
  static void deleteQuietly(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(directory)) {
      tree.sorted(Comparator.reverseOrder()).forEach(TempDirectories::deleteFileQuietly);
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }

  private static void deleteFileQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // best effort
    }
  }

  private static final class Root {
    static final Path PATH = choose();

    private static Path choose() {
      String configured = System.getProperty(LOCATION_PROPERTY);
      if (configured != null) {
        return Paths.get(configured);
      }
      Path ramDisk = Paths.get("/dev/shm");
      return hasRoom(ramDisk) ? ramDisk : Paths.get(System.getProperty("java.io.tmpdir"));
    }

    private static boolean hasRoom(Path directory) {
      try {
        return Files.isDirectory(directory)
            && Files.isWritable(directory)
            && Files.getFileStore(directory).getUsableSpace() >= MIN_FREE_RAM_DISK_BYTES;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
