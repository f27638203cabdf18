package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cj judge}'s user mistakes: exit 2 and one line naming the variable; the key never printed. */
class JudgeCommandTest {

  record Run(int exit, String err) {}

  @AfterEach
  void restore() {
    CjCommand.useEnvironment(System::getenv);
  }

  static Run run(Map<String, String> env, String... args) {
    CjCommand.useEnvironment(() -> env);
    CommandLine cli = CjCommand.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "judge";
    System.arraycopy(args, 0, all, 1, args.length);
    return new Run(cli.execute(all), err.toString());
  }

  @Test
  void withNoJudgeConfiguredItShowsHowToConfigureOne() {
    Run r = run(Map.of());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no judge configured").contains("CJ_JUDGE_PROVIDER=openai")
        .contains("CJ_JUDGE_PROVIDER=simulated").doesNotContain("Exception");
  }

  @Test
  void aBadValueNamesItsVariable() {
    Run r = run(Map.of("CJ_JUDGE_PROVIDER", "openai", "CJ_JUDGE_MODEL", "m", "CJ_JUDGE_API_KEY", "sk-secret-999",
        "CJ_JUDGE_CONCURRENCY", "0"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("cj judge: CJ_JUDGE_CONCURRENCY=0 is outside 1..1000 (default 8)");
    assertThat(run(Map.of("CJ_JUDGE_PROVIDER", "gemini")).err()).contains("CJ_JUDGE_PROVIDER=gemini");
    assertThat(run(Map.of("CJ_JUDGE_PROVIDER", "openai")).err()).contains("CJ_JUDGE_MODEL is required");
    assertThat(run(Map.of("CJ_JUDGE_PROVIDER", "anthropic", "CJ_JUDGE_MODEL", "c")).err())
        .contains("CJ_JUDGE_API_KEY or CJ_JUDGE_API_KEY_FILE is required");
    assertThat(run(Map.of("CJ_JUDGE_PROVIDER", "simulated")).err()).contains("CJ_JUDGE_TRUTH_FILE is required");
  }

  @Test
  void optionsOverrideVariablesAndTheKeyIsNeverPrinted(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "sk-from-file-777\n");
    Run r = run(Map.of("CJ_JUDGE_PROVIDER", "simulated", "CJ_JUDGE_MODEL", "m"), "--provider", "openai",
        "--api-key-file", key.toString(), "--model", "gpt-x", "--temperature", "7");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("CJ_JUDGE_TEMPERATURE=7 is outside").doesNotContain("sk-from-file-777");
    Run noKafka = run(Map.of(), "--provider", "openai", "--api-key-file", key.toString(), "--model", "gpt-x");
    assertThat(noKafka.exit()).isEqualTo(2);
    assertThat(noKafka.err()).contains("CJ_KAFKA_BOOTSTRAP_SERVERS").doesNotContain("sk-from-file-777");
  }

  @Test
  void aBadTruthFileNamesTheLine(@TempDir Path dir) throws Exception {
    Path truth = Files.writeString(dir.resolve("truth.csv"), "essay_id,ability\na,1.0\nb,high\n");
    Run r = run(Map.of("CJ_JUDGE_PROVIDER", "simulated", "CJ_JUDGE_TRUTH_FILE", truth.toString(),
        "CJ_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("line 3").contains("'high' is not a number");
  }
}
