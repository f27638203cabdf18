package org.cjassessment.judge.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.cjassessment.judge.JudgeOutcome;
import org.cjassessment.judge.openai.OpenAiJudge;
import org.cjassessment.testing.llm.Answer;
import org.cjassessment.testing.llm.FakeOpenAiServer;
import org.cjassessment.testing.llm.FakeProviderServer;
import org.cjassessment.testing.llm.RecordedRequest;
import org.junit.jupiter.api.Test;

class OpenAiJudgeTest extends ProviderContract {

  @Override
  FakeProviderServer newServer() {
    return new FakeOpenAiServer();
  }

  @Override
  LlmJudge newJudge(LlmSettings settings) {
    return new OpenAiJudge(settings);
  }

  @Test
  void theRequestIsAStrictJsonSchemaChatCompletionWithLogprobs() throws Exception {
    ask();
    RecordedRequest r = server.lastRequest();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/chat/completions");
    assertThat(r.header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(r.header("content-type")).startsWith("application/json");
    JsonNode body = r.json();
    assertThat(body.get("model").asText()).isEqualTo("judge-model-1");
    assertThat(body.get("messages").get(0).get("role").asText()).isEqualTo("system");
    assertThat(body.get("messages").get(0).get("content").asText()).contains("# Rubric").doesNotContain(SHORT);
    assertThat(body.get("messages").get(1).get("role").asText()).isEqualTo("user");
    assertThat(body.get("messages").get(1).get("content").asText()).contains(SHORT).contains(LONG);
    assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(300);
    assertThat(body.has("temperature")).as("no temperature unless configured").isFalse();
    JsonNode format = body.get("response_format");
    assertThat(format.get("type").asText()).isEqualTo("json_schema");
    assertThat(format.get("json_schema").get("strict").asBoolean()).isTrue();
    JsonNode schema = format.get("json_schema").get("schema");
    assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
    List<String> required = new ArrayList<>();
    schema.get("required").forEach(n -> required.add(n.asText()));
    List<String> properties = new ArrayList<>();
    schema.get("properties").fieldNames().forEachRemaining(properties::add);
    assertThat(required).containsExactlyInAnyOrderElementsOf(properties);
    assertThat(body.get("logprobs").asBoolean()).isTrue();
    assertThat(body.get("top_logprobs").asInt()).isBetween(1, 20);
  }

  @Test
  void theProbabilityThatAIsBetterComesFromTheLetterTokensLogprobs() throws Exception {
    server.answers((a, b) -> new Answer("Essay B", "second is better", 4, 0.27));
    JudgeOutcome.Verdict v = (JudgeOutcome.Verdict) ask();
    assertThat(v.essayAWins()).isFalse();
    assertThat(v.probabilityA().getAsDouble()).isCloseTo(0.27, within(1e-9));
  }

  @Test
  void withoutLogprobsTheVerdictHasNoProbabilityAndTheRequestDoesNotAsk() throws Exception {
    judge.close();
    judge = newJudge(settings().withLogprobs(false));
    JudgeOutcome.Verdict v = (JudgeOutcome.Verdict) ask();
    assertThat(v.probabilityA()).isEmpty();
    assertThat(server.lastRequest().json().has("logprobs")).isFalse();
  }

  @Test
  void aBaseUrlEndingInV1IsAcceptedAsIs() throws Exception {
    judge.close();
    judge = newJudge(LlmSettings.of(server.baseUrl() + "/v1/", KEY, "m").withRetry(FAST));
    assertThat(ask()).isInstanceOf(JudgeOutcome.Verdict.class);
    assertThat(server.lastRequest().path()).isEqualTo("/v1/chat/completions");
  }
}
