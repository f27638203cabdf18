package org.cjassessment.app.assess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.cjassessment.app.UserInputException;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.core.judge.SimulatedJudgeModel;
import org.cjassessment.judge.Judge;
import org.cjassessment.judge.JudgeConfig;
import org.cjassessment.judge.JudgeWorker;
import org.cjassessment.judge.Prices;
import org.cjassessment.judge.prompt.PromptTemplate;
import org.cjassessment.judge.simulated.SimulatedJudge;

/**
 * Which judge answers a run and how it is started on the run's broker: {@code cj judge}'s configuration
 * ({@link JudgeConfig}, the {@code CJ_JUDGE_*} variables, with {@code --judge}, {@code --truth} and
 * {@code --rubric} in place of {@code CJ_JUDGE_PROVIDER}, {@code CJ_JUDGE_TRUTH_FILE} and
 * {@code CJ_JUDGE_RUBRIC_FILE}) and its worker ({@link JudgeWorker}), in this process, consuming the service's
 * comparison requests and answering on its callback topic.
 */
public final class JudgeSetup {

  /**
   * What the simulated judge's tokens are priced at when CJ_JUDGE_PRICE_* are not set: a small hosted model's list
   * price in USD per million input / output tokens, so a dry run shows the order of magnitude a real run costs.
   */
  public static final Prices SIMULATED_PRICES = new Prices(0.15, 0.60);

  /** A judge configured and checked (before anything starts); {@link #starter} starts its worker. */
  public record Choice(JudgeConfig config, Prices prices) {

    public String provider() {
      return config.provider().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @param journal answers already given in this output directory, consulted before asking the provider */
    public EmbeddedAssessment.JudgeStarter starter(AnswerJournal journal) {
      return service -> {
        Judge judge;
        try {
          judge = config.createJudge();
        } catch (JudgeConfig.ConfigException e) {
          throw new UserInputException(e.getMessage());
        }
        return startWorker(service, new JournaledJudge(judge, journal), prices, config.concurrency());
      };
    }
  }

  private JudgeSetup() {}

  /**
   * @throws UserInputException when no judge is configured (saying how to configure one, and that the simulated
   *     judge is a dry run), or for any bad CJ_JUDGE_* value
   */
  public static Choice choose(String judge, Path truth, Path rubric, Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    if (judge != null && !judge.isBlank()) {
      env.put("CJ_JUDGE_PROVIDER", judge);
    }
    if (truth != null) {
      env.put("CJ_JUDGE_TRUTH_FILE", truth.toString());
    }
    if (rubric != null) {
      env.put("CJ_JUDGE_RUBRIC_FILE", rubric.toString());
    }
    JudgeConfig config;
    try {
      config = JudgeConfig.fromEnvironment(env);
    } catch (JudgeConfig.NotConfigured e) {
      throw new UserInputException("no judge configured: use --judge openai or --judge anthropic with "
          + "CJ_JUDGE_MODEL and CJ_JUDGE_API_KEY (or CJ_JUDGE_API_KEY_FILE; CJ_JUDGE_BASE_URL for another "
          + "OpenAI-compatible server), or --judge simulated --truth truth.csv for a dry run without an LLM "
          + "(see README, cj assess)");
    } catch (JudgeConfig.ConfigException e) {
      String message = e.getMessage()
          .replace("CJ_JUDGE_TRUTH_FILE is required", "--truth FILE (CJ_JUDGE_TRUTH_FILE) is required");
      throw new UserInputException(message);
    }
    boolean priced = env.containsKey("CJ_JUDGE_PRICE_INPUT_PER_MTOK")
        || env.containsKey("CJ_JUDGE_PRICE_OUTPUT_PER_MTOK");
    Prices prices = config.provider() == JudgeConfig.Provider.SIMULATED && !priced ? SIMULATED_PRICES
        : config.prices();
    return new Choice(config, prices);
  }

  /**
   * The demo's judge: simulated like a real LLM judge (83 % agreement with the truth on random pairs, a slight
   * preference for the second essay), answering after a short log-normal latency (median 20 ms) so a wave's
   * answers arrive spread out as they would, without making the demo slow.
   */
  public static EmbeddedAssessment.JudgeStarter demo(Map<String, Double> abilities, long seed,
      Map<String, String> env) {
    boolean priced = env.containsKey("CJ_JUDGE_PRICE_INPUT_PER_MTOK")
        || env.containsKey("CJ_JUDGE_PRICE_OUTPUT_PER_MTOK");
    Prices prices = priced ? new Prices(number(env, "CJ_JUDGE_PRICE_INPUT_PER_MTOK"),
        number(env, "CJ_JUDGE_PRICE_OUTPUT_PER_MTOK")) : SIMULATED_PRICES;
    return service -> {
      SimulatedJudge judge = new SimulatedJudge(SimulatedJudgeModel.calibrated(abilities,
          SimulatedJudgeModel.Settings.defaults(seed).withLatency(20, 0.5)), PromptTemplate.defaults());
      return startWorker(service, judge, prices, DEMO_CONCURRENCY);
    };
  }

  /** Judge calls at once in the demo: a wave of 30–40 simulated calls in two or three rounds. */
  static final int DEMO_CONCURRENCY = 16;

  private static AutoCloseable startWorker(ServiceConfig service, Judge judge, Prices prices, int concurrency) {
    JudgeWorker worker = JudgeWorker.builder()
        .bootstrapServers(service.bootstrapServers())
        .requestTopic(service.settings().topics().comparisonRequests())
        .groupId(service.consumerGroup() + ".judge")
        .judge(judge)
        .concurrency(concurrency)
        .prices(prices)
        .shutdownGrace(Duration.ofSeconds(5))
        .build()
        .start();
    return () -> {
      try {
        worker.close();
      } finally {
        judge.close();
      }
    };
  }

  private static double number(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return 0;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (!(d >= 0) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new UserInputException(name + "=" + v + " is not a number >= 0");
    }
  }
}
