package org.cjassessment.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

/** Formats an empty KRaft data directory, as {@code kafka-storage.sh format} does before a broker's first start. */
final class KraftStorage {

  private KraftStorage() {}

  /** Formats with a new random cluster id and the latest production metadata version. */
  static void format(Path dataDirectory) {
    String directory = dataDirectory.toString();
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(SingleNodeKraftConfig.NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(SingleNodeKraftConfig.CONTROLLER_LISTENER)
          .addDirectory(directory)
          .setMetadataLogDirectory(directory)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format KRaft storage in " + directory, e);
    }
  }
}
