package org.cjassessment.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on 127.0.0.1, for servers that must be told their port before they start (the KRaft controller
 * quorum and PostgreSQL both need it up front). The port is free when probed and taken moments later; callers
 * that can lose that race retry with fresh ports.
 */
final class LoopbackPorts {

  static final String HOST = "127.0.0.1";

  private LoopbackPorts() {}

  /** {@code count} distinct ports: all probe sockets stay open until every port is chosen, so none repeats. */
  static int[] free(int count) {
    List<ServerSocket> probes = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket probe = new ServerSocket();
        probes.add(probe);
        probe.bind(new InetSocketAddress(HOST, 0));
        ports[i] = probe.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    } finally {
      probes.forEach(LoopbackPorts::closeQuietly);
    }
  }

  static int free() {
    return free(1)[0];
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // a probe socket that fails to close still frees its port when the JVM exits
    }
  }
}
