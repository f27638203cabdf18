package org.cjassessment.app.assess;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cjassessment.app.UserInputException;

/**
 * Which judge answers a run, from {@code --judge} and the {@code CJ_JUDGE_*} variables, and how it is started on
 * the run's broker: the judge worker of {@code cj judge}, in this process.
 */
public final class JudgeSetup {

  static final Set<String> PROVIDERS = Set.of("openai", "anthropic", "simulated");

  /** A provider chosen and checked; {@link #starter} starts its worker. */
  public record Choice(String provider) {

    /**
     * @param truth true abilities (the simulated judge's; ignored by the others)
     * @param rubric the rubric text, or null for the judge's default
     * @param journal answers already paid for in this output directory; consulted before asking the provider
     */
    public EmbeddedAssessment.JudgeStarter starter(Map<String, Double> truth, String rubric, AnswerJournal journal,
        Map<String, String> env) {
      throw new UserInputException("the judge worker (cj-judge) is not in this build yet; it lands with issue 6");
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
    return new Choice(provider);
  }

  /** The demo's judge: simulated, like a real LLM judge (83 % agreement, a slight position bias), fast. */
  public static EmbeddedAssessment.JudgeStarter demo(Map<String, Double> abilities, long seed) {
    throw new UserInputException("the judge worker (cj-judge) is not in this build yet; it lands with issue 6");
  }
}
