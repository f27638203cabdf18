package org.cjassessment.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cjassessment.service.Json;
import org.cjassessment.testing.SharedInfrastructure;
import org.cjassessment.testing.llm.FakeAnthropicServer;
import org.cjassessment.testing.llm.FakeOpenAiServer;
import org.cjassessment.testing.llm.FakeProviderServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cj assess} on the sample folder with each real provider protocol, answered by a fake provider on a local
 * socket: every comparison is one call, the answers' tokens reach the summary, the events are read back once.
 */
@ExtendWith(SharedInfrastructure.class)
class AssessProvidersTest {

  private static final Path SAMPLE = AssessCommandTest.SAMPLE;

  @TempDir
  Path out;

  @Test
  void openAiCompatible() throws Exception {
    try (FakeOpenAiServer fake = new FakeOpenAiServer()) {
      assess("openai", fake);
    }
  }

  @Test
  void anthropic() throws Exception {
    try (FakeAnthropicServer fake = new FakeAnthropicServer()) {
      assess("anthropic", fake);
    }
  }

  private void assess(String provider, FakeProviderServer fake) throws Exception {
    fake.expectApiKey("test-key-1");
    Map<String, String> env = CliRun.sharedInfrastructure("assess-" + provider);
    env.put("CJ_JUDGE_BASE_URL", fake.baseUrl());
    env.put("CJ_JUDGE_MODEL", "fake-model");
    env.put("CJ_JUDGE_API_KEY", "test-key-1");
    env.put("CJ_JUDGE_PRICE_INPUT_PER_MTOK", "3");
    env.put("CJ_JUDGE_PRICE_OUTPUT_PER_MTOK", "15");

    CliRun r = CliRun.run(env, "assess", SAMPLE.toString(), "--anchors", SAMPLE.resolve("anchors.csv").toString(),
        "--judge", provider, "--budget", "40", "--out", out.toString());

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("COMPLETED", "Read from Kafka   completed 1, result 1, resource consumption 1, "
        + "failed 0").doesNotContain("Spearman"); // no truth, no Spearman
    JsonNode summary = Json.mapper().readTree(out.resolve("results.json").toFile()).get("summary");
    int judged = summary.get("comparisons_judged").asInt();
    assertThat(judged).isEqualTo(40);
    assertThat(fake.calls()).isEqualTo(judged); // one call per comparison, no retries needed
    assertThat(Files.readAllLines(out.resolve("journal.jsonl"))).hasSize(judged);
    assertThat(summary.get("prompt_tokens").asLong()).isPositive();
    assertThat(summary.get("estimated_cost").asDouble()).isPositive();
    // the model saw the essays, never their ids
    assertThat(fake.lastRequest().body()).doesNotContain("essay-0", "anchor-");
  }
}
