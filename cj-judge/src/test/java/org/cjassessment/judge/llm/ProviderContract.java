package org.cjassessment.judge.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.cjassessment.judge.FailureCode;
import org.cjassessment.judge.JudgeOutcome;
import org.cjassessment.judge.PairToJudge;
import org.cjassessment.judge.http.RetryPolicy;
import org.cjassessment.testing.llm.Fault;
import org.cjassessment.testing.llm.FakeProviderServer;
import org.cjassessment.testing.llm.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every LLM judge must do against its provider's fake server, over a real socket: retry what is transient and
 * honour the server's wait, give a classified failure (never a guessed winner) for everything else, keep the key
 * out of failure details, and never show the model an essay id. Subclasses add their wire-format checks.
 */
abstract class ProviderContract {

  static final String KEY = "sk-test-secret-key-123";
  static final String LONG = "Schools should not require uniforms, because choice teaches responsibility. "
      + "Students who choose learn to judge what fits a setting; rules alone teach them to wait for rules.";
  static final String SHORT = "Uniforms are bad and I dont like them.";
  static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40),
      Duration.ofSeconds(5));

  FakeProviderServer server;
  LlmJudge judge;

  abstract FakeProviderServer newServer();

  abstract LlmJudge newJudge(LlmSettings settings);

  LlmSettings settings() {
    return LlmSettings.of(server.baseUrl(), KEY, "judge-model-1").withRetry(FAST);
  }

  @BeforeEach
  void start() {
    server = newServer().expectApiKey(KEY);
    judge = newJudge(settings());
  }

  @AfterEach
  void stop() {
    judge.close();
    server.close();
  }

  static PairToJudge pair() {
    return new PairToJudge("c0ffee00-0000-4000-8000-000000000001", "STUDENT-ID-A17", LONG, "ANCHOR-ID-B3", SHORT,
        Optional.of("Should students wear school uniforms? Argue a position."), Optional.empty(), Optional.empty(),
        OptionalDouble.empty(), OptionalInt.empty());
  }

  JudgeOutcome ask(LlmJudge j, PairToJudge p) throws Exception {
    return j.judge(p).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  JudgeOutcome ask() throws Exception {
    return ask(judge, pair());
  }

  static JudgeOutcome.Failure failure(JudgeOutcome o) {
    assertThat(o).isInstanceOf(JudgeOutcome.Failure.class);
    return (JudgeOutcome.Failure) o;
  }

  @Test
  void aGoodAnswerIsAVerdictAndTheModelNeverSeesEssayIds() throws Exception {
    JudgeOutcome o = ask();
    assertThat(o).isInstanceOf(JudgeOutcome.Verdict.class);
    JudgeOutcome.Verdict v = (JudgeOutcome.Verdict) o;
    assertThat(v.essayAWins()).isTrue(); // the fake's rule: the longer essay wins
    assertThat(v.confidence()).isEqualTo(3);
    assertThat(v.usage().promptTokens()).isPositive();
    assertThat(v.promptHash()).matches("[0-9a-f]{64}");
    RecordedRequest r = server.lastRequest();
    assertThat(r.body()).doesNotContain("STUDENT-ID-A17").doesNotContain("ANCHOR-ID-B3")
        .contains("Should students wear school uniforms").contains("Essay A").contains("Essay B");
    assertThat(r.body().indexOf("# Rubric")).isLessThan(r.body().indexOf(LONG.substring(0, 20)));
  }

  @Test
  void theSamePromptGivesTheSameHashAndAnotherAssignmentAnother() throws Exception {
    String first = ask().promptHash();
    assertThat(ask().promptHash()).isEqualTo(first);
    PairToJudge other = new PairToJudge("c0ffee00-0000-4000-8000-000000000002", "x", LONG, "y", SHORT,
        Optional.of("Describe your town."), Optional.empty(), Optional.empty(), OptionalDouble.empty(),
        OptionalInt.empty());
    assertThat(ask(judge, other).promptHash()).isNotEqualTo(first);
  }

  @Test
  void aRateLimitIsRetriedAfterTheSecondsInRetryAfter() throws Exception {
    server.script(Fault.RATE_LIMITED);
    assertThat(ask()).isInstanceOf(JudgeOutcome.Verdict.class);
    assertThat(server.calls()).isEqualTo(2);
    assertThat(gap(0, 1)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void aRateLimitIsRetriedAfterTheHttpDateInRetryAfter() throws Exception {
    server.script(Fault.RATE_LIMITED_HTTP_DATE);
    assertThat(ask()).isInstanceOf(JudgeOutcome.Verdict.class);
    assertThat(server.calls()).isEqualTo(2);
    assertThat(gap(0, 1)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void aRateLimitWithOnlyResetHeadersWaitsForTheReset() throws Exception {
    server.script(Fault.RATE_LIMITED_RESET_HEADERS);
    assertThat(ask()).isInstanceOf(JudgeOutcome.Verdict.class);
    assertThat(server.calls()).isEqualTo(2);
    assertThat(gap(0, 1)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
  }

  @Test
  void serverErrorsAreRetriedWithBackoff() throws Exception {
    server.script(Fault.SERVER_ERROR, Fault.OVERLOADED);
    assertThat(ask()).isInstanceOf(JudgeOutcome.Verdict.class);
    assertThat(server.calls()).isEqualTo(3);
  }

  @Test
  void persistentServerErrorsEndInAFailureAfterTheLastAttempt() throws Exception {
    server.always(Fault.SERVER_ERROR);
    JudgeOutcome.Failure f = failure(ask());
    assertThat(f.code()).isEqualTo(FailureCode.SERVICE_UNAVAILABLE);
    assertThat(f.detail()).contains("HTTP 500").contains("3 attempts");
    assertThat(server.calls()).isEqualTo(3);
  }

  @Test
  void aHangingServerTimesOutAndIsRetriedThenFails() throws Exception {
    judge.close();
    judge = newJudge(settings().withTimeout(Duration.ofSeconds(1)).withRetry(FAST.withMaxAttempts(2)));
    server.always(Fault.HANG);
    JudgeOutcome.Failure f = failure(ask());
    assertThat(f.code()).isEqualTo(FailureCode.TIMEOUT);
    assertThat(server.calls()).isEqualTo(2);
  }

  @Test
  void aMalformedBodyIsAnInvalidResponseNotRetried() throws Exception {
    server.script(Fault.MALFORMED_BODY);
    JudgeOutcome.Failure f = failure(ask());
    assertThat(f.code()).isEqualTo(FailureCode.INVALID_RESPONSE);
    assertThat(f.detail()).contains("not a JSON object");
    assertThat(server.calls()).isEqualTo(1);
  }

  @Test
  void aRefusalIsAFailureWithoutTheModelsText() throws Exception {
    server.script(Fault.REFUSAL);
    JudgeOutcome.Failure f = failure(ask());
    assertThat(f.code()).isEqualTo(FailureCode.CONTENT_REFUSED);
    assertThat(f.detail()).doesNotContain("sorry");
  }

  @Test
  void aSchemaInvalidAnswerIsNeverTurnedIntoAWinner() throws Exception {
    server.script(Fault.SCHEMA_INVALID);
    JudgeOutcome.Failure f = failure(ask());
    assertThat(f.code()).isEqualTo(FailureCode.INVALID_RESPONSE);
    assertThat(f.detail()).contains("Essay C");
  }

  @Test
  void aTruncatedAnswerIsAFailureNamingTheSetting() throws Exception {
    server.script(Fault.TRUNCATED);
    JudgeOutcome.Failure f = failure(ask());
    assertThat(f.code()).isEqualTo(FailureCode.OUTPUT_TRUNCATED);
    assertThat(f.detail()).contains("CJ_JUDGE_MAX_TOKENS");
  }

  @Test
  void aWrongKeyFailsAtOnceAndTheKeyNeverAppears() throws Exception {
    judge.close();
    judge = newJudge(new LlmSettings(settings().baseUrl(), "sk-wrong-key-456", "judge-model-1",
        OptionalDouble.empty(), 300, Duration.ofSeconds(30), FAST, 0, true, settings().prompt()));
    JudgeOutcome.Failure f = failure(ask());
    assertThat(f.code()).isEqualTo(FailureCode.AUTHENTICATION_ERROR);
    assertThat(f.detail()).contains("401").doesNotContain("sk-wrong-key-456").doesNotContain(KEY);
    assertThat(server.calls()).isEqualTo(1);
  }

  @Test
  void anExhaustedQuotaIsNotRetried() throws Exception {
    server.script(Fault.QUOTA_EXHAUSTED);
    assertThat(failure(ask()).code()).isEqualTo(FailureCode.QUOTA_EXCEEDED);
    assertThat(server.calls()).isEqualTo(1);
  }

  @Test
  void aBadRequestIsNotRetried() throws Exception {
    server.script(Fault.BAD_REQUEST);
    JudgeOutcome.Failure f = failure(ask());
    assertThat(f.code()).isEqualTo(FailureCode.INVALID_REQUEST);
    assertThat(f.detail()).contains("400").contains("invalid_request_error");
    assertThat(server.calls()).isEqualTo(1);
  }

  @Test
  void requestsArePacedToTheRateCap() throws Exception {
    judge.close();
    judge = newJudge(settings().withRequestsPerMinute(600)); // one every 100 ms
    List<CompletableFuture<JudgeOutcome>> all = IntStream.range(0, 6)
        .mapToObj(i -> judge.judge(pair()).toCompletableFuture()).toList();
    for (CompletableFuture<JudgeOutcome> f : all) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isInstanceOf(JudgeOutcome.Verdict.class);
    }
    // 5 intervals of 100 ms; arrival times jitter by a few ms, an unpaced burst arrives within ~50 ms
    assertThat(gap(0, 5)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void perRequestOverridesReachTheProvider() throws Exception {
    PairToJudge p = pair();
    PairToJudge overridden = new PairToJudge(p.correlationId(), p.essayAId(), p.essayAText(), p.essayBId(),
        p.essayBText(), p.assignmentContext(), Optional.of("My own rubric: clarity only."),
        Optional.of("other-model-2"), OptionalDouble.of(0.3), OptionalInt.of(222));
    JudgeOutcome o = ask(judge, overridden);
    assertThat(o.model()).isEqualTo("other-model-2");
    var json = server.lastRequest().json();
    assertThat(json.get("model").asText()).isEqualTo("other-model-2");
    assertThat(json.get("temperature").asDouble()).isEqualTo(0.3);
    assertThat(server.lastRequest().body()).contains("My own rubric: clarity only.");
  }

  Duration gap(int first, int second) {
    List<RecordedRequest> r = server.requests();
    return Duration.between(r.get(first).receivedAt(), r.get(second).receivedAt());
  }
}
