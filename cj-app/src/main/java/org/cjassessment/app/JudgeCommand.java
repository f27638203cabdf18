package org.cjassessment.app;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cjassessment.judge.Judge;
import org.cjassessment.judge.JudgeConfig;
import org.cjassessment.judge.JudgeStats;
import org.cjassessment.judge.JudgeWorker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "judge",
    mixinStandardHelpOptions = true,
    description = {
        "Run the judge worker: consume comparison requests from the broker cj serve uses, ask an LLM (or the",
        "simulated judge), publish one result per request on its callback topic. Configured by CJ_JUDGE_* variables",
        "(see README); each option below overrides its variable."
    })
final class JudgeCommand implements Callable<Integer> {

  @Option(names = "--provider", description = "openai | anthropic | simulated (CJ_JUDGE_PROVIDER).")
  String provider;

  @Option(names = "--base-url", description = "Provider base URL (CJ_JUDGE_BASE_URL).")
  String baseUrl;

  @Option(names = "--api-key-file", description = "File holding the API key (CJ_JUDGE_API_KEY_FILE); no --api-key "
      + "option on purpose: a key on the command line is visible to every user of the machine.")
  Path apiKeyFile;

  @Option(names = "--model", description = "Model name (CJ_JUDGE_MODEL).")
  String model;

  @Option(names = "--temperature", description = "Sampling temperature 0..2 (CJ_JUDGE_TEMPERATURE).")
  String temperature;

  @Option(names = "--max-tokens", description = "Output token cap per answer (CJ_JUDGE_MAX_TOKENS).")
  String maxTokens;

  @Option(names = "--concurrency", description = "Calls at once (CJ_JUDGE_CONCURRENCY).")
  String concurrency;

  @Option(names = "--requests-per-minute", description = "Rate cap, 0 = none (CJ_JUDGE_REQUESTS_PER_MINUTE).")
  String requestsPerMinute;

  @Option(names = "--timeout-seconds", description = "Per-call timeout (CJ_JUDGE_TIMEOUT_SECONDS).")
  String timeoutSeconds;

  @Option(names = "--prompt", description = "Assignment prompt file (CJ_JUDGE_PROMPT_FILE).")
  Path prompt;

  @Option(names = "--rubric", description = "Rubric file (CJ_JUDGE_RUBRIC_FILE).")
  Path rubric;

  @Option(names = "--instructions", description = "Judge instructions file (CJ_JUDGE_INSTRUCTIONS_FILE).")
  Path instructions;

  @Option(names = "--truth", description = "Truth CSV essay_id,ability for the simulated judge (CJ_JUDGE_TRUTH_FILE).")
  Path truth;

  @Option(names = "--price-input", description = "Price per million input tokens (CJ_JUDGE_PRICE_INPUT_PER_MTOK).")
  String priceInput;

  @Option(names = "--price-output", description = "Price per million output tokens "
      + "(CJ_JUDGE_PRICE_OUTPUT_PER_MTOK).")
  String priceOutput;

  @Option(names = "--bootstrap-servers", description = "Kafka brokers (CJ_KAFKA_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(names = "--topic", description = "Comparison-request topic (CJ_TOPIC_COMPARISON_REQUESTS).")
  String topic;

  @Option(names = "--group", description = "Consumer group (CJ_JUDGE_GROUP_ID).")
  String group;

  @Override
  public Integer call() throws InterruptedException {
    JudgeConfig config;
    try {
      config = JudgeConfig.fromEnvironment(environment());
    } catch (JudgeConfig.NotConfigured e) {
      throw new UserInputException(JudgeConfig.HOW_TO);
    } catch (JudgeConfig.ConfigException e) {
      throw new UserInputException(e.getMessage());
    }
    if (config.bootstrapServers() == null) {
      throw new UserInputException("CJ_KAFKA_BOOTSTRAP_SERVERS (or --bootstrap-servers) is required: the broker "
          + "cj serve uses (cj serve prints it when it starts an embedded one)");
    }
    Judge judge;
    try {
      judge = config.createJudge();
    } catch (JudgeConfig.ConfigException e) {
      throw new UserInputException(e.getMessage());
    }
    JudgeWorker worker = JudgeWorker.builder().bootstrapServers(config.bootstrapServers())
        .requestTopic(config.requestTopic()).groupId(config.groupId()).judge(judge)
        .concurrency(config.concurrency()).prices(config.prices()).build().start();
    System.err.println("cj judge: " + judge.provider() + " judge " + config.modelDescription() + "; consuming "
        + config.requestTopic() + " as group " + config.groupId() + ", " + config.concurrency() + " calls at once");
    ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cj-judge-status");
      t.setDaemon(true);
      return t;
    });
    long[] last = {-1};
    status.scheduleAtFixedRate(() -> {
      JudgeStats s = worker.stats();
      if (s.received() != last[0]) {
        last[0] = s.received();
        System.err.println("cj judge: " + s.judged() + " judged, " + s.errored() + " errors, " + s.rejected()
            + " unusable, " + s.inFlight() + " in flight");
      }
    }, 10, 10, TimeUnit.SECONDS);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      status.shutdownNow();
      worker.close();
      judge.close();
      stopped.countDown();
    }, "cj-judge-shutdown"));
    stopped.await();
    return 0;
  }

  /** The process environment with each given option written over its variable. */
  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(CjCommand.environment());
    put(env, "CJ_JUDGE_PROVIDER", provider);
    put(env, "CJ_JUDGE_BASE_URL", baseUrl);
    put(env, "CJ_JUDGE_API_KEY_FILE", apiKeyFile);
    put(env, "CJ_JUDGE_MODEL", model);
    put(env, "CJ_JUDGE_TEMPERATURE", temperature);
    put(env, "CJ_JUDGE_MAX_TOKENS", maxTokens);
    put(env, "CJ_JUDGE_CONCURRENCY", concurrency);
    put(env, "CJ_JUDGE_REQUESTS_PER_MINUTE", requestsPerMinute);
    put(env, "CJ_JUDGE_TIMEOUT_SECONDS", timeoutSeconds);
    put(env, "CJ_JUDGE_PROMPT_FILE", prompt);
    put(env, "CJ_JUDGE_RUBRIC_FILE", rubric);
    put(env, "CJ_JUDGE_INSTRUCTIONS_FILE", instructions);
    put(env, "CJ_JUDGE_TRUTH_FILE", truth);
    put(env, "CJ_JUDGE_PRICE_INPUT_PER_MTOK", priceInput);
    put(env, "CJ_JUDGE_PRICE_OUTPUT_PER_MTOK", priceOutput);
    put(env, "CJ_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    put(env, "CJ_TOPIC_COMPARISON_REQUESTS", topic);
    put(env, "CJ_JUDGE_GROUP_ID", group);
    if (apiKeyFile != null) {
      env.remove("CJ_JUDGE_API_KEY"); // the option wins over a key in the environment
    }
    return env;
  }

  private static void put(Map<String, String> env, String name, Object value) {
    if (value != null) {
      env.put(name, value.toString());
    }
  }
}
