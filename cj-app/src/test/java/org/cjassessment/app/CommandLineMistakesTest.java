package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes any command can meet, as a new user makes them: every one is exit 2 and one line on stderr that starts
 * with the full command name and says what to do, never a stack trace.
 */
class CommandLineMistakesTest {

  @TempDir
  Path dir;

  private static void oneLineExit2(CliRun r, String prefix, String... fragments) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith(prefix).doesNotContain("Exception", "\tat ");
    for (String fragment : fragments) {
      assertThat(r.err()).contains(fragment);
    }
  }

  @Test
  void anUnknownCommandIsNamedWithTheCommandsThereAre() {
    oneLineExit2(CliRun.run(Map.of(), "scroe"), "cj: unknown command 'scroe'; commands: score, serve",
        "(see: cj --help)");
    oneLineExit2(CliRun.run(Map.of(), "apikey", "make"), "cj apikey: unknown command 'make'; commands: create",
        "(see: cj apikey --help)");
  }

  @Test
  void aMistakeInANestedCommandNamesTheWholeCommand() {
    oneLineExit2(CliRun.run(Map.of(), "apikey", "create", "--user", "u"), "cj apikey create: Missing required",
        "(see: cj apikey create --help)");
    oneLineExit2(CliRun.run(Map.of(), "score", "x.csv", "--bogus"), "cj score: Unknown option: '--bogus'",
        "(see: cj score --help)");
  }

  @Test
  void everyCommandAnswersVersion() {
    String version = CliRun.run(Map.of(), "--version").out().strip();
    assertThat(version).startsWith("cj-assessment ");
    for (String[] command : new String[][] {{"score"}, {"assess"}, {"serve"}, {"apikey", "create"},
        {"outbox", "dead"}, {"audit", "duplicates"}, {"simulate"}}) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--version";
      CliRun r = CliRun.run(Map.of(), args);
      assertThat(r.exit()).isZero();
      assertThat(r.out().strip()).as(String.join(" ", command)).isEqualTo(version);
    }
  }

  @Test
  void aLogSettingLogbackWouldIgnoreStopsTheCommand() throws IOException {
    Path csv = Files.writeString(dir.resolve("c.csv"), "winner,loser\na,b\nb,a\n");
    oneLineExit2(CliRun.run(Map.of("CJ_LOG_LEVEL", "LOUD"), "score", csv.toString()),
        "cj score: CJ_LOG_LEVEL=LOUD is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    // Logback would find no appender named "json": every log line would be lost, silently.
    oneLineExit2(CliRun.run(Map.of("CJ_LOG_APPENDER", "json"), "score", csv.toString()),
        "cj score: CJ_LOG_APPENDER=json is not TEXT or JSON", "upper case");
    assertThat(CliRun.run(Map.of("CJ_LOG_LEVEL", "debug", "CJ_LOG_APPENDER", "JSON"), "score", csv.toString())
        .exit()).isZero();
  }

  @Test
  void aDatabaseThatCannotBeReachedIsOneLineNamingTheSettings() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Map<String, String> env = Map.of("CJ_DB_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/cj",
        "CJ_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort);
    oneLineExit2(CliRun.run(env, "outbox", "counts"), "cj outbox counts: cannot connect to the database: ",
        "refused", "check CJ_DB_URL, CJ_DB_USER, CJ_DB_PASSWORD");
  }

  @Test
  void apiKeyValuesAreCheckedByTheirOptionName() {
    oneLineExit2(CliRun.run(Map.of(), "apikey", "create", "--client", "school a", "--user", "u"),
        "cj apikey create: --client 'school a' must be 1-128 of A-Z a-z 0-9 . _ @ -");
    oneLineExit2(CliRun.run(Map.of(), "apikey", "create", "--client", "c", "--user", "Ada Lovelace"),
        "cj apikey create: --user 'Ada Lovelace' must be one word");
    oneLineExit2(CliRun.run(Map.of(), "apikey", "create", "--client", "c", "--user", "u", "--org", ""),
        "cj apikey create: --org '' must be one word", "omit --org");
  }

  @Test
  void noTokenIsShownWhenItsLineCannotBeWritten() {
    CliRun r = CliRun.run(Map.of(), "apikey", "create", "--client", "c", "--user", "u", "--keys-file",
        dir.resolve("missing-folder").resolve("keys").toString());
    oneLineExit2(r, "cj apikey create: --keys-file ", "its folder does not exist");
    assertThat(r.out()).doesNotContain("token");
  }

  @Test
  void aKeyAppendedToAFileWithoutAFinalLineBreakGetsItsOwnLine() throws IOException {
    Path keys = Files.writeString(dir.resolve("keys"), "# keys of school a");
    CliRun r = CliRun.run(Map.of(), "apikey", "create", "--client", "c", "--user", "u", "--keys-file",
        keys.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readAllLines(keys)).hasSize(2).first().isEqualTo("# keys of school a");
    assertThat(org.cjassessment.service.auth.ApiKeys.load(keys).size()).isEqualTo(1);
  }

  @Test
  void optionsThatCannotWorkAreRefusedBeforeAnythingStartsOrPrints() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    // a demo's minute of work used to end in a stack trace: the results could not be written under a file
    oneLineExit2(CliRun.run(Map.of(), "demo", "--out", file.toString()), "cj demo: --out " + file
        + " cannot be used as the output directory");
    oneLineExit2(CliRun.run(Map.of(), "bench", "ingest", "--batches", "0"), "cj bench ingest: --batches");
    CliRun sizes = CliRun.run(Map.of(), "bench", "event-sizes", "--students", "100,0");
    oneLineExit2(sizes, "cj bench event-sizes: --students must each be >= 2, got 0");
    oneLineExit2(CliRun.run(Map.of("CJ_DB_URL", "jdbc:postgresql://127.0.0.1:1/cj"), "outbox", "dead", "--limit",
        "0"), "cj outbox dead: --limit must be >= 1, got 0");
    oneLineExit2(CliRun.run(Map.of(), "audit", "logs", dir.resolve("nope.log").toString()),
        "cj audit logs: ", "nope.log: no such file");
  }

  @Test
  void theCommandListShowsWholeFirstSentencesNotLinesCutInTheMiddle() {
    for (String[] args : new String[][] {{}, {"--help"}, {"bench"}}) {
      CliRun r = CliRun.run(Map.of(), args);
      assertThat(r.exit()).isZero();
      String flowed = r.out().replaceAll("\\s+", " ");
      assertThat(flowed).as(r.out()).startsWith("Usage: cj ");
      if (args.length == 1 && args[0].equals("bench")) {
        assertThat(flowed).contains("record batch, against Kafka's default max.message.bytes (1,048,588 bytes).");
      } else {
        assertThat(flowed).contains("ask an LLM (or the simulated judge), publish one result per request on its "
            + "callback topic.", "with an LLM or the simulated judge; writes");
      }
    }
  }

  @Test
  void namesTheBrokerWouldRefuseAndUrlsThatAreNotUrlsStopServeBeforeItStarts() {
    oneLineExit2(CliRun.run(Map.of("CJ_AUTH", "none", "CJ_TOPIC_REQUESTS", "essays in!"), "serve"),
        "cj serve: CJ_TOPIC_REQUESTS=essays in! is not a Kafka name: use 1-239 of A-Z a-z 0-9 . _ -");
    oneLineExit2(CliRun.run(Map.of("CJ_AUTH", "none", "CJ_INSTANCE_NAME", "pod/1"), "serve"),
        "cj serve: CJ_INSTANCE_NAME=pod/1 is not a Kafka name");
    oneLineExit2(CliRun.run(Map.of("CJ_AUTH", "none", "CJ_CONTENT_SERVICE_URL", "content-service:8000"), "serve"),
        "cj serve: CJ_CONTENT_SERVICE_URL=content-service:8000 is not an http(s) URL");
  }

  @Test
  void theJudgeAndTheConsumersCheckTheirTopicNamesToo() throws IOException {
    Path truth = Files.writeString(dir.resolve("truth.csv"), "essay_id,ability\na,1\n");
    // the worker used to subscribe to the bad name and judge nothing, silently, forever
    oneLineExit2(CliRun.run(Map.of("CJ_JUDGE_PROVIDER", "simulated", "CJ_JUDGE_TRUTH_FILE", truth.toString(),
        "CJ_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "judge", "--topic", "comparisons?"),
        "cj judge: CJ_TOPIC_COMPARISON_REQUESTS=comparisons? is not a Kafka topic name");
    oneLineExit2(CliRun.run(Map.of("CJ_DB_URL", "jdbc:postgresql://127.0.0.1:1/cj", "CJ_KAFKA_BOOTSTRAP_SERVERS",
        "127.0.0.1:1", "CJ_CONSUMERS_DEAD_LETTER_TOPIC", "dead letters"), "consumers"),
        "cj consumers: CJ_CONSUMERS_DEAD_LETTER_TOPIC=dead letters is not a Kafka name");
  }

  @Test
  void aPortInUseIsFoundBeforeTheEmbeddedServersStart() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      CliRun r = CliRun.run(Map.of("CJ_AUTH", "none", "CJ_HTTP_PORT", Integer.toString(port)), "serve");
      oneLineExit2(r, "cj serve: CJ_HTTP_PORT=" + port + " on 127.0.0.1 is in use", "CJ_HTTP_PORT=0");
    }
  }

  @Test
  void aDatabaseUrlThatIsNotPostgresIsNamedWithoutEchoingIt() {
    Map<String, String> env = Map.of("CJ_DB_URL", "postgres://admin:s3cret@db/cj", "CJ_KAFKA_BOOTSTRAP_SERVERS",
        "127.0.0.1:1", "CJ_AUTH", "none");
    for (String[] command : new String[][] {{"serve"}, {"outbox", "counts"}, {"consumers"}}) {
      CliRun r = CliRun.run(env, command);
      oneLineExit2(r, "cj " + String.join(" ", command) + ": CJ_DB_URL is not a PostgreSQL JDBC URL: use "
          + "jdbc:postgresql://HOST:PORT/DATABASE");
      assertThat(r.err()).doesNotContain("s3cret");
    }
  }
}
