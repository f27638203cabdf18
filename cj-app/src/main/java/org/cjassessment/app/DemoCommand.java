package org.cjassessment.app;

import picocli.CommandLine.Command;

@Command(name = "demo", description = "Run a whole CJ assessment on embedded PostgreSQL and Kafka (not yet available).")
final class DemoCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("cj demo: not yet available — it lands with the demo issue. Try ./cj score --help.");
  }
}
