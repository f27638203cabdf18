package org.cjassessment.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.TestDatabase;
import picocli.CommandLine;

/** Runs {@code cj} in this JVM with an environment of the test's choosing, capturing stdout and stderr. */
record CliRun(int exit, String out, String err) {

  static CliRun run(Map<String, String> env, String... args) {
    CjCommand.useEnvironment(() -> env);
    try {
      CommandLine cli = CjCommand.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args);
      return new CliRun(exit, out.toString(), err.toString());
    } finally {
      CjCommand.useEnvironment(System::getenv);
    }
  }

  /**
   * CJ_* variables that put a run on the test JVM's shared PostgreSQL (a fresh database) and broker, with topics
   * and consumer groups no other test uses.
   */
  static Map<String, String> sharedInfrastructure(String prefix) {
    TestDatabase db = SharedInfrastructure.freshDatabase();
    String p = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>();
    env.put("CJ_DB_URL", db.jdbcUrl());
    env.put("CJ_DB_USER", db.username());
    env.put("CJ_DB_PASSWORD", db.password());
    env.put("CJ_KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.bootstrapServers());
    env.put("CJ_CREATE_TOPICS", "true");
    env.put("CJ_CONSUMER_GROUP", p);
    env.put("CJ_TOPIC_REQUESTS", p + ".requests");
    env.put("CJ_TOPIC_CALLBACKS", p + ".callbacks");
    env.put("CJ_TOPIC_COMPLETED", p + ".completed");
    env.put("CJ_TOPIC_FAILED", p + ".failed");
    env.put("CJ_TOPIC_RESULTS", p + ".results");
    env.put("CJ_TOPIC_RESOURCE_CONSUMPTION", p + ".resource");
    env.put("CJ_TOPIC_COMPARISON_REQUESTS", p + ".comparisons");
    env.put("CJ_TOPIC_DEAD_LETTERS", p + ".dlq");
    return env;
  }
}
