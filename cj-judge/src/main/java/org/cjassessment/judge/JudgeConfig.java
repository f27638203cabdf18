package org.cjassessment.judge;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.cjassessment.core.judge.SimulatedJudgeModel;
import org.cjassessment.judge.anthropic.AnthropicJudge;
import org.cjassessment.judge.http.RetryPolicy;
import org.cjassessment.judge.llm.LlmSettings;
import org.cjassessment.judge.openai.OpenAiJudge;
import org.cjassessment.judge.prompt.PromptTemplate;
import org.cjassessment.judge.simulated.SimulatedJudge;
import org.cjassessment.judge.simulated.TruthFile;

/**
 * Everything {@code cj judge} needs, read from {@code CJ_JUDGE_*} (and the Kafka variables {@code cj serve} uses),
 * validated completely before anything starts. A bad value is one line naming the variable, the value and the
 * range; the API key never appears in a message or in {@link #toString()}.
 */
public record JudgeConfig(
    Provider provider,
    String bootstrapServers,
    String requestTopic,
    String groupId,
    int concurrency,
    Prices prices,
    LlmSettings llm,
    Path truthFile,
    SimulatedJudgeModel.Settings simulated,
    PromptTemplate prompt) {

  public enum Provider {
    OPENAI,
    ANTHROPIC,
    SIMULATED
  }

  public static final String DEFAULT_REQUEST_TOPIC = "huleedu.cj_assessment.comparison_requested.v1";

  /** A configuration mistake: one line, naming the variable. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }

  /** No {@code CJ_JUDGE_PROVIDER}: the caller shows how to configure one. */
  public static final class NotConfigured extends RuntimeException {
    public NotConfigured() {
      super("no judge configured");
    }
  }

  /** How to configure a judge, for the message shown when none is. */
  public static final String HOW_TO = """
      no judge configured. Set CJ_JUDGE_PROVIDER (or --provider), for example:
        CJ_JUDGE_PROVIDER=openai    CJ_JUDGE_MODEL=gpt-4o-mini CJ_JUDGE_API_KEY_FILE=~/.openai-key
        CJ_JUDGE_PROVIDER=anthropic CJ_JUDGE_MODEL=claude-sonnet-4-5 CJ_JUDGE_API_KEY_FILE=~/.anthropic-key
        CJ_JUDGE_PROVIDER=openai    CJ_JUDGE_BASE_URL=http://localhost:11434/v1 CJ_JUDGE_MODEL=llama3.1 (Ollama)
        CJ_JUDGE_PROVIDER=simulated CJ_JUDGE_TRUTH_FILE=truth.csv  (a dry run: essay_id,ability per line)""";

  public static JudgeConfig fromEnvironment(Map<String, String> env) {
    String p = blank(env.get("CJ_JUDGE_PROVIDER"));
    if (p == null) {
      throw new NotConfigured();
    }
    Provider provider;
    try {
      provider = Provider.valueOf(p.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("CJ_JUDGE_PROVIDER=" + p + " is not one of openai, anthropic, simulated");
    }
    String bootstrap = blank(env.get("CJ_KAFKA_BOOTSTRAP_SERVERS"));
    int concurrency = integer(env, "CJ_JUDGE_CONCURRENCY", 8, 1, 1000);
    Prices prices = new Prices(dbl(env, "CJ_JUDGE_PRICE_INPUT_PER_MTOK", 0, 0, 1e6),
        dbl(env, "CJ_JUDGE_PRICE_OUTPUT_PER_MTOK", 0, 0, 1e6));
    PromptTemplate prompt;
    try {
      prompt = PromptTemplate.fromFiles(path(env, "CJ_JUDGE_PROMPT_FILE"), path(env, "CJ_JUDGE_RUBRIC_FILE"),
          path(env, "CJ_JUDGE_INSTRUCTIONS_FILE"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    int maxTokens = integer(env, "CJ_JUDGE_MAX_TOKENS", 300, 16, 100_000);
    int rpm = integer(env, "CJ_JUDGE_REQUESTS_PER_MINUTE", 0, 0, 1_000_000);
    Duration timeout = Duration.ofSeconds(integer(env, "CJ_JUDGE_TIMEOUT_SECONDS", 60, 1, 3600));
    RetryPolicy retry = RetryPolicy.defaults().withMaxAttempts(integer(env, "CJ_JUDGE_MAX_ATTEMPTS", 5, 1, 50));
    OptionalDouble temperature = blank(env.get("CJ_JUDGE_TEMPERATURE")) == null ? OptionalDouble.empty()
        : OptionalDouble.of(dbl(env, "CJ_JUDGE_TEMPERATURE", 0, 0, 2));
    LlmSettings llm = null;
    Path truth = null;
    SimulatedJudgeModel.Settings sim = null;
    if (provider == Provider.SIMULATED) {
      truth = path(env, "CJ_JUDGE_TRUTH_FILE");
      if (truth == null) {
        throw new ConfigException("CJ_JUDGE_TRUTH_FILE is required for CJ_JUDGE_PROVIDER=simulated "
            + "(a CSV of essay_id,ability: the hidden truth the simulated judge answers from)");
      }
      double agreement = dbl(env, "CJ_JUDGE_SIM_AGREEMENT", 0.83, 0.5, 0.999);
      double bias = dbl(env, "CJ_JUDGE_SIM_POSITION_BIAS", -0.2, -5, 5);
      double errorRate = dbl(env, "CJ_JUDGE_SIM_ERROR_RATE", 0, 0, 1);
      double latency = dbl(env, "CJ_JUDGE_SIM_LATENCY_MS", 0, 0, 600_000);
      double spread = dbl(env, "CJ_JUDGE_SIM_LATENCY_SPREAD", 0.5, 0, 5);
      long seed = integer(env, "CJ_JUDGE_SIM_SEED", 42, Integer.MIN_VALUE, Integer.MAX_VALUE);
      sim = new SimulatedJudgeModel.Settings(agreement, bias, errorRate, latency, spread, seed);
    } else {
      String model = blank(env.get("CJ_JUDGE_MODEL"));
      if (model == null) {
        throw new ConfigException("CJ_JUDGE_MODEL is required for CJ_JUDGE_PROVIDER=" + p
            + " (e.g. gpt-4o-mini, claude-sonnet-4-5, or the name your local server serves)");
      }
      String official = provider == Provider.OPENAI ? "https://api.openai.com" : "https://api.anthropic.com";
      String base = blank(env.get("CJ_JUDGE_BASE_URL"));
      URI uri;
      try {
        uri = URI.create(base == null ? official : base);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
            || uri.getHost() == null) {
          throw new IllegalArgumentException();
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException("CJ_JUDGE_BASE_URL=" + base + " is not an http(s) URL");
      }
      String key = apiKey(env);
      if (key == null && (base == null || uri.getHost().endsWith("openai.com")
          || uri.getHost().endsWith("anthropic.com"))) {
        throw new ConfigException("CJ_JUDGE_API_KEY or CJ_JUDGE_API_KEY_FILE is required for " + uri.getHost());
      }
      boolean logprobs = bool(env, "CJ_JUDGE_LOGPROBS", true);
      llm = new LlmSettings(uri, key, model, temperature, maxTokens, timeout, retry, rpm, logprobs, prompt);
    }
    return new JudgeConfig(provider, bootstrap, topic(env, "CJ_TOPIC_COMPARISON_REQUESTS", DEFAULT_REQUEST_TOPIC),
        str(env, "CJ_JUDGE_GROUP_ID", "cj_judge_worker"), concurrency, prices, llm, truth, sim, prompt);
  }

  /** Builds the configured judge (reads the truth file for the simulated one). */
  public Judge createJudge() {
    return switch (provider) {
      case OPENAI -> new OpenAiJudge(llm);
      case ANTHROPIC -> new AnthropicJudge(llm);
      case SIMULATED -> {
        try {
          yield new SimulatedJudge(SimulatedJudgeModel.calibrated(TruthFile.load(truthFile), simulated), prompt);
        } catch (IllegalArgumentException e) {
          throw new ConfigException("CJ_JUDGE_TRUTH_FILE: " + e.getMessage());
        }
      }
    };
  }

  /** The model name for a status line. */
  public String modelDescription() {
    return llm != null ? llm.model() + " at " + llm.baseUrl() : "simulated (truth " + truthFile + ")";
  }

  @Override
  public String toString() {
    return "JudgeConfig[provider=" + provider + ", " + (llm != null ? llm : "truth=" + truthFile) + ", topic="
        + requestTopic + ", group=" + groupId + ", concurrency=" + concurrency + "]";
  }

  private static String apiKey(Map<String, String> env) {
    String key = blank(env.get("CJ_JUDGE_API_KEY"));
    Path file = path(env, "CJ_JUDGE_API_KEY_FILE");
    if (key != null && file != null) {
      throw new ConfigException("set CJ_JUDGE_API_KEY or CJ_JUDGE_API_KEY_FILE, not both");
    }
    if (file == null) {
      return key;
    }
    try {
      String k = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (k.isEmpty()) {
        throw new ConfigException("CJ_JUDGE_API_KEY_FILE=" + file + " is empty");
      }
      return k;
    } catch (IOException e) {
      throw new ConfigException("CJ_JUDGE_API_KEY_FILE=" + file + " cannot be read (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  private static Path path(Map<String, String> env, String name) {
    String v = blank(env.get(name));
    if (v == null) {
      return null;
    }
    Path p = Path.of(v.startsWith("~/") ? System.getProperty("user.home") + v.substring(1) : v);
    if (!Files.isRegularFile(p)) {
      throw new ConfigException(name + "=" + v + " is not a readable file");
    }
    return p;
  }

  private static String blank(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** A name the broker takes (else the worker would subscribe to nothing, silently, and judge nothing). */
  private static String topic(Map<String, String> env, String name, String fallback) {
    String v = str(env, name, fallback);
    if (!v.matches("[A-Za-z0-9._-]{1,249}") || v.equals(".") || v.equals("..")) {
      throw new ConfigException(name + "=" + v + " is not a Kafka topic name: use 1-249 of A-Z a-z 0-9 . _ -");
    }
    return v;
  }

  private static String str(Map<String, String> env, String name, String fallback) {
    String v = blank(env.get(name));
    return v == null ? fallback : v;
  }

  private static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
    String v = blank(env.get(name));
    if (v == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(v);
      if (value < min || value > max) {
        throw new ConfigException(name + "=" + v + " is outside " + min + ".." + max + " (default " + fallback + ")");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "=" + v + " is not an integer (default " + fallback + ")");
    }
  }

  private static double dbl(Map<String, String> env, String name, double fallback, double min, double max) {
    String v = blank(env.get(name));
    if (v == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(v);
      if (!(value >= min && value <= max)) {
        throw new ConfigException(name + "=" + v + " is outside " + min + ".." + max + " (default " + fallback + ")");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "=" + v + " is not a number (default " + fallback + ")");
    }
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    String v = blank(env.get(name));
    if (v == null) {
      return fallback;
    }
    if (v.equalsIgnoreCase("true") || v.equals("1")) {
      return true;
    }
    if (v.equalsIgnoreCase("false") || v.equals("0")) {
      return false;
    }
    throw new ConfigException(name + "=" + v + " is not true or false");
  }
}
