package org.cjassessment.app.assess;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cjassessment.app.UserInputException;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.core.judge.SimulatedJudgeModel;
import org.cjassessment.judge.Judge;
import org.cjassessment.judge.JudgeWorker;
import org.cjassessment.judge.Prices;
import org.cjassessment.judge.prompt.PromptTemplate;
import org.cjassessment.judge.simulated.SimulatedJudge;

/**
 * Which judge answers a run, from {@code --judge} and the {@code CJ_JUDGE_*} variables, and how it is started on
 * the run's broker: the judge worker of {@code cj judge} ({@link JudgeWorker}), in this process, consuming the
 * service's comparison requests and answering on its callback topic.
 */
public final class JudgeSetup {

  static final Set<String> PROVIDERS = Set.of("openai", "anthropic", "simulated");
  /** Calls at once when CJ_JUDGE_CONCURRENCY is not set. */
  static final int DEFAULT_CONCURRENCY = 16;
  /**
   * What the simulated judge's tokens are priced at when CJ_JUDGE_PRICE_* are not set: a small hosted model's list
   * price in USD per million input / output tokens, so a dry run shows the order of magnitude a real run costs.
   */
  public static final Prices SIMULATED_PRICES = new Prices(0.15, 0.60);

  /** A provider chosen and checked; {@link #starter} starts its worker. */
  public record Choice(String provider, Prices prices) {

    /**
     * @param truth true abilities (the simulated judge's; ignored by the others)
     * @param rubric a rubric file replacing the judge's default, or null
     * @param journal answers already given in this output directory, consulted before asking the provider
     */
    public EmbeddedAssessment.JudgeStarter starter(Map<String, Double> truth, Path rubric, AnswerJournal journal,
        Map<String, String> env) {
      return service -> {
        Judge judge = switch (provider) {
          case "simulated" -> new SimulatedJudge(SimulatedJudgeModel.calibrated(truth,
              SimulatedJudgeModel.Settings.defaults(seed(env))), PromptTemplate.fromFiles(null, rubric, null));
          default -> throw new UserInputException("judge '" + provider + "' is not in this build yet; use --judge "
              + "simulated --truth FILE for a dry run");
        };
        return startWorker(service, new JournaledJudge(judge, journal), prices, concurrency(env));
      };
    }
  }

  private JudgeSetup() {}

  /**
   * @throws UserInputException when no judge is configured (with how to configure one), for an unknown provider,
   *     or for the simulated judge without {@code --truth}
   */
  public static Choice choose(String option, Map<String, String> env, Path truth) {
    String provider = option != null && !option.isBlank() ? option : env.get("CJ_JUDGE_PROVIDER");
    if (provider == null || provider.isBlank()) {
      throw new UserInputException("no judge configured: use --judge openai or --judge anthropic with "
          + "CJ_JUDGE_API_KEY and CJ_JUDGE_MODEL set (CJ_JUDGE_BASE_URL for another OpenAI-compatible server), "
          + "or --judge simulated --truth truth.csv for a dry run without an LLM (see README, cj assess)");
    }
    provider = provider.trim().toLowerCase(Locale.ROOT);
    if (!PROVIDERS.contains(provider)) {
      throw new UserInputException("judge '" + provider + "' is unknown; use openai, anthropic or simulated");
    }
    if (provider.equals("simulated") && truth == null) {
      throw new UserInputException("--judge simulated needs --truth FILE (essay_id,ability: the hidden true "
          + "ability of every essay, anchors included)");
    }
    return new Choice(provider, prices(env, provider.equals("simulated") ? SIMULATED_PRICES : Prices.FREE));
  }

  /**
   * The demo's judge: simulated like a real LLM judge (83 % agreement with the truth on random pairs, a slight
   * preference for the second essay), answering after a short log-normal latency (median 20 ms) so waves overlap
   * as they would, without making the demo slow.
   */
  public static EmbeddedAssessment.JudgeStarter demo(Map<String, Double> abilities, long seed,
      Map<String, String> env) {
    return service -> {
      SimulatedJudge judge = new SimulatedJudge(SimulatedJudgeModel.calibrated(abilities,
          SimulatedJudgeModel.Settings.defaults(seed).withLatency(20, 0.5)), PromptTemplate.defaults());
      return startWorker(service, judge, prices(env, SIMULATED_PRICES), concurrency(env));
    };
  }

  private static AutoCloseable startWorker(ServiceConfig service, Judge judge, Prices prices, int concurrency) {
    JudgeWorker worker = JudgeWorker.builder()
        .bootstrapServers(service.bootstrapServers())
        .requestTopic(service.settings().topics().comparisonRequests())
        .groupId(service.consumerGroup() + ".judge")
        .judge(judge)
        .concurrency(concurrency)
        .prices(prices)
        .shutdownGrace(java.time.Duration.ofSeconds(5))
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

  static Prices prices(Map<String, String> env, Prices fallback) {
    String in = env.get("CJ_JUDGE_PRICE_INPUT_PER_MTOK");
    String out = env.get("CJ_JUDGE_PRICE_OUTPUT_PER_MTOK");
    if ((in == null || in.isBlank()) && (out == null || out.isBlank())) {
      return fallback;
    }
    return new Prices(number(in, "CJ_JUDGE_PRICE_INPUT_PER_MTOK"), number(out, "CJ_JUDGE_PRICE_OUTPUT_PER_MTOK"));
  }

  private static int concurrency(Map<String, String> env) {
    String v = env.get("CJ_JUDGE_CONCURRENCY");
    if (v == null || v.isBlank()) {
      return DEFAULT_CONCURRENCY;
    }
    double n = number(v, "CJ_JUDGE_CONCURRENCY");
    if (n < 1 || n > 1000 || n != Math.rint(n)) {
      throw new UserInputException("CJ_JUDGE_CONCURRENCY=" + v + " is not a whole number in 1..1000");
    }
    return (int) n;
  }

  private static long seed(Map<String, String> env) {
    String v = env.get("CJ_JUDGE_SEED");
    try {
      return v == null || v.isBlank() ? 1 : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new UserInputException("CJ_JUDGE_SEED=" + v + " is not an integer");
    }
  }

  private static double number(String v, String name) {
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
