package org.cjassessment.judge.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.cjassessment.judge.JudgeOutcome;
import org.cjassessment.judge.anthropic.AnthropicJudge;
import org.cjassessment.testing.llm.Fault;
import org.cjassessment.testing.llm.FakeAnthropicServer;
import org.cjassessment.testing.llm.FakeProviderServer;
import org.cjassessment.testing.llm.RecordedRequest;
import org.junit.jupiter.api.Test;

class AnthropicJudgeTest extends ProviderContract {

  @Override
  FakeProviderServer newServer() {
    return new FakeAnthropicServer();
  }

  @Override
  LlmJudge newJudge(LlmSettings settings) {
    return new AnthropicJudge(settings);
  }

  @Test
  void theRequestForcesTheToolAndMarksTheInstructionsForCaching() throws Exception {
    ask();
    RecordedRequest r = server.lastRequest();
    assertThat(r.path()).isEqualTo("/v1/messages");
    assertThat(r.header("x-api-key")).isEqualTo(KEY);
    assertThat(r.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(r.header("authorization")).isNull();
    JsonNode body = r.json();
    assertThat(body.get("max_tokens").asInt()).isEqualTo(300);
    JsonNode system = body.get("system").get(0);
    assertThat(system.get("type").asText()).isEqualTo("text");
    assertThat(system.get("text").asText()).contains("# Rubric").doesNotContain(SHORT);
    assertThat(system.get("cache_control").get("type").asText()).isEqualTo("ephemeral");
    assertThat(body.get("messages").get(0).get("content").asText()).contains(LONG).contains(SHORT);
    String tool = body.get("tools").get(0).get("name").asText();
    assertThat(body.get("tool_choice").get("type").asText()).isEqualTo("tool");
    assertThat(body.get("tool_choice").get("name").asText()).isEqualTo(tool);
    assertThat(body.get("tools").get(0).get("input_schema").get("additionalProperties").asBoolean()).isFalse();
  }

  @Test
  void theSecondPairOfABatchReadsTheInstructionsFromTheCache() throws Exception {
    JudgeOutcome first = ask();
    JudgeOutcome second = ask();
    assertThat(first.usage().cacheWriteTokens()).isPositive();
    assertThat(second.usage().cacheReadTokens()).isEqualTo(first.usage().cacheWriteTokens());
    assertThat(second.usage().promptTokens()).isEqualTo(first.usage().promptTokens());
    assertThat(((JudgeOutcome.Verdict) second).probabilityA()).isEmpty();
  }

  @Test
  void overloaded529IsRetried() throws Exception {
    server.script(Fault.OVERLOADED, Fault.OVERLOADED);
    assertThat(ask()).isInstanceOf(JudgeOutcome.Verdict.class);
    assertThat(server.calls()).isEqualTo(3);
  }
}
