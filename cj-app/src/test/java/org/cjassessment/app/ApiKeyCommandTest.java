package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cjassessment.service.auth.ApiKeys;
import org.cjassessment.service.auth.Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cj apikey create} mints a key the service accepts, and {@code cj serve} refuses to start without keys or
 * with {@code CJ_AUTH=none} off loopback: one line on stderr, exit 2, before any infrastructure starts.
 */
class ApiKeyCommandTest {

  record Run(int exit, String out, String err) {}

  @AfterEach
  void restoreEnvironment() {
    CjCommand.useEnvironment(System::getenv);
  }

  private static Run run(String... args) {
    CommandLine cli = CjCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void aMintedKeyIsAcceptedByTheKeysFileItWasAppendedTo(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys");
    Run first = run("apikey", "create", "--client", "school-a", "--org", "org-a", "--user", "teacher-a",
        "--keys-file", keys.toString());
    Run second = run("apikey", "create", "--client", "school-b", "--user", "teacher-b", "--keys-file",
        keys.toString());
    assertThat(first.exit()).isZero();
    String tokenA = token(first.out());
    String tokenB = token(second.out());
    String file = Files.readString(keys);
    assertThat(file).doesNotContain(tokenA).doesNotContain(tokenB).contains(" school-a org-a teacher-a");
    ApiKeys loaded = ApiKeys.load(keys);
    assertThat(loaded.authenticate(tokenA)).contains(new Client("school-a", "org-a", "teacher-a"));
    assertThat(loaded.authenticate(tokenB)).contains(new Client("school-b", null, "teacher-b"));
    assertThat(loaded.authenticate(tokenA + "x")).isEmpty();
    assertThat(loaded.authenticate(null)).isEmpty();
    // Without --keys-file the line is printed, to paste.
    Run printed = run("apikey", "create", "--client", "c", "--user", "u");
    assertThat(printed.out()).containsPattern("keys-file line: sha256:[0-9a-f]{64} c - u");
  }

  @Test
  void badIdentitiesAndBadKeyFilesAreOneLineMistakes(@TempDir Path dir) throws Exception {
    Run bad = run("apikey", "create", "--client", "has:colon", "--user", "u");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err().strip()).doesNotContain("\n").contains("--client 'has:colon'");
    Path keys = dir.resolve("keys");
    String token = "cjk_pasted-token-instead-of-its-hash";
    Files.writeString(keys, token + " client org user\n");
    CjCommand.useEnvironment(() -> Map.of("CJ_API_KEYS_FILE", keys.toString()));
    Run serve = run("serve");
    assertThat(serve.exit()).isEqualTo(2);
    assertThat(serve.err().strip()).doesNotContain("\n").contains(keys + " line 1", "sha256:")
        .doesNotContain(token);
  }

  @Test
  void serveRefusesToStartWithoutKeysOrWithoutAuthenticationOffLoopback() {
    CjCommand.useEnvironment(Map::of);
    Run noKeys = run("serve");
    assertThat(noKeys.exit()).isEqualTo(2);
    assertThat(noKeys.err().strip()).doesNotContain("\n").contains("CJ_API_KEYS_FILE is not set", "cj apikey create");
    CjCommand.useEnvironment(() -> Map.of("CJ_AUTH", "none", "CJ_HTTP_HOST", "0.0.0.0"));
    Run open = run("serve");
    assertThat(open.exit()).isEqualTo(2);
    assertThat(open.err().strip()).doesNotContain("\n")
        .contains("CJ_AUTH=none is allowed only on loopback, but CJ_HTTP_HOST=0.0.0.0");
    CjCommand.useEnvironment(() -> Map.of("CJ_AUTH", "sometimes"));
    assertThat(run("serve").err()).contains("CJ_AUTH=sometimes is not apikey or none");
  }

  private static String token(String out) {
    return out.lines().filter(l -> l.startsWith("token: ")).findFirst().orElseThrow().substring(7);
  }
}
