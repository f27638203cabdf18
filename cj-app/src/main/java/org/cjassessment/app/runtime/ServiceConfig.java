package org.cjassessment.app.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.cjassessment.core.batch.ContinuationPolicy;
import org.cjassessment.core.batch.PrecisionTarget;
import org.cjassessment.core.pairs.SelectorKind;
import org.cjassessment.service.ServiceSettings;
import org.cjassessment.service.Topics;
import org.cjassessment.service.auth.ApiKeys;
import org.cjassessment.service.auth.Authenticator;
import org.cjassessment.service.batch.AnswerRetries;

/**
 * Everything {@code cj serve} needs, read from {@code CJ_*} environment variables (README lists each with its
 * default and unit). Validated completely before anything starts; a bad value names the variable and the fix.
 *
 * @param jdbcUrl null → start the embedded PostgreSQL
 * @param bootstrapServers null → start the embedded Kafka broker
 * @param authMode {@code apikey} (default) or {@code none} ({@code CJ_AUTH}); see {@link #authenticator()}
 * @param apiKeysFile {@code CJ_API_KEYS_FILE}, may be null
 * @param maxRequestBytes larger HTTP request bodies are refused with 413
 * @param groupInstanceId Kafka static membership id of the consumers: {@code CJ_INSTANCE_NAME} when set explicitly,
 *     else null (dynamic membership; the default name {@code cj-<pid>} changes at every start, so a static id built
 *     from it would only leave ghosts behind)
 * @param kafkaSessionTimeout {@code CJ_KAFKA_SESSION_TIMEOUT_SECONDS}: how long the group keeps a vanished member's
 *     partitions
 */
public record ServiceConfig(
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    String bootstrapServers,
    String consumerGroup,
    String httpHost,
    int httpPort,
    Duration monitorInterval,
    String contentServiceUrl,
    boolean createTopics,
    int topicPartitions,
    String instanceName,
    int relayMaxAttempts,
    Duration outboxRetention,
    ServiceSettings settings,
    String authMode,
    String apiKeysFile,
    long maxRequestBytes,
    FaultSettings faults,
    String groupInstanceId,
    Duration kafkaSessionTimeout) {

  /** Thrown for a configuration mistake: one line, naming the variable. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }

  /**
   * The outbox relay alone holds up to three connections at once (LISTEN, its round's transaction, and the send
   * markers it commits while that transaction is open), so a smaller pool starves it and the events stay PENDING;
   * the consumers, monitor and HTTP API need at least one and two more besides.
   */
  static final int MIN_POOL_SIZE = 5;

  public static ServiceConfig fromEnvironment(Map<String, String> env) {
    Topics d = Topics.defaults();
    Topics topics = new Topics(
        kafkaName(env, "CJ_TOPIC_REQUESTS", d.requests()),
        kafkaName(env, "CJ_TOPIC_CALLBACKS", d.callbacks()),
        kafkaName(env, "CJ_TOPIC_COMPLETED", d.completed()),
        kafkaName(env, "CJ_TOPIC_FAILED", d.failed()),
        kafkaName(env, "CJ_TOPIC_RESULTS", d.results()),
        kafkaName(env, "CJ_TOPIC_RESOURCE_CONSUMPTION", d.resourceConsumption()),
        kafkaName(env, "CJ_TOPIC_COMPARISON_REQUESTS", d.comparisonRequests()),
        kafkaName(env, "CJ_TOPIC_DEAD_LETTERS", d.deadLetters()));
    ContinuationPolicy p = ContinuationPolicy.defaults();
    ContinuationPolicy policy = new ContinuationPolicy(
        dbl(env, "CJ_STABILITY_THRESHOLD", p.stabilityThreshold(), 0, 10),
        integer(env, "CJ_MIN_JUDGED_FOR_STABILITY", p.minJudgedForStability(), 0, 1_000_000),
        dbl(env, "CJ_MIN_SUCCESS_RATE", p.minSuccessRate(), 0, 1),
        dbl(env, "CJ_FORCED_RECOVERY_SHARE", p.forcedRecoveryShare(), 0, 1),
        integer(env, "CJ_MAX_REDISPATCHES", p.maxRedispatches(), 0, 100),
        integer(env, "CJ_WAVE_SIZE", p.waveSize(), 0, 100_000),
        new PrecisionTarget(
            dbl(env, "CJ_TARGET_RELIABILITY", 0, 0, 0.999),
            dbl(env, "CJ_GRADE_CONFIDENCE", p.precisionTarget().gradeConfidence(), 0.01, 1),
            dbl(env, "CJ_TARGET_GRADE_SHARE", 0, 0, 1),
            dbl(env, "CJ_MIN_APPEARANCES_FOR_PRECISION", p.precisionTarget().minAppearances(), 0, 1000)));
    ServiceSettings s = ServiceSettings.defaults();
    ServiceSettings settings = new ServiceSettings(topics, policy,
        integer(env, "CJ_DEFAULT_MAX_COMPARISONS", s.defaultBudget(), 1, 10_000_000),
        s.maxBudget(),
        dbl(env, "CJ_PRIOR_SD", s.priorSd(), 0, 100),
        Duration.ofSeconds(integer(env, "CJ_STUCK_AFTER_SECONDS", (int) s.stuckAfter().toSeconds(), 1,
            Integer.MAX_VALUE)),
        integer(env, "CJ_MAX_ESSAY_CHARS", s.maxEssayChars(), 1, 10_000_000),
        str(env, "CJ_SOURCE_SERVICE", s.sourceService()),
        integer(env, "CJ_MAX_ESSAYS_PER_BATCH", s.maxEssaysPerBatch(), 2, 1_000_000),
        integer(env, "CJ_MAX_ESSAY_BYTES", s.maxEssayBytes(), 1, 40_000_000),
        selector(env), integer(env, "CJ_MAX_PER_ESSAY", s.maxPerEssay(), 0, 1_000_000));
    settings = settings.withLimits(settings.maxEssaysPerBatch(), settings.maxEssayChars(), settings.maxEssayBytes(),
        integer(env, "CJ_MAX_COMPARISONS", s.maxBudget(), 1, 10_000_000));
    if (settings.defaultBudget() > settings.maxBudget()) {
      throw new ConfigException("CJ_DEFAULT_MAX_COMPARISONS=" + settings.defaultBudget() + " is above "
          + "CJ_MAX_COMPARISONS=" + settings.maxBudget());
    }
    String host = str(env, "CJ_HTTP_HOST", "127.0.0.1");
    return new ServiceConfig(
        postgresUrl(env),
        str(env, "CJ_DB_USER", "postgres"),
        str(env, "CJ_DB_PASSWORD", ""),
        integer(env, "CJ_DB_POOL_SIZE", 10, MIN_POOL_SIZE, 500),
        blankToNull(env.get("CJ_KAFKA_BOOTSTRAP_SERVERS")),
        str(env, "CJ_CONSUMER_GROUP", "cj_assessment_consumer_group"),
        host,
        integer(env, "CJ_HTTP_PORT", 9090, 0, 65535),
        Duration.ofSeconds(integer(env, "CJ_MONITOR_INTERVAL_SECONDS", 60, 1, 86_400)),
        httpUrl(env, "CJ_CONTENT_SERVICE_URL"),
        bool(env, "CJ_CREATE_TOPICS", false),
        integer(env, "CJ_TOPIC_PARTITIONS", 3, 1, 1000),
        kafkaName(env, "CJ_INSTANCE_NAME", "cj-" + ProcessHandle.current().pid()),
        integer(env, "CJ_OUTBOX_MAX_ATTEMPTS", 12, 1, 1000),
        Duration.ofHours(integer(env, "CJ_OUTBOX_RETENTION_HOURS", 168, 1, 100_000)),
        settings,
        str(env, "CJ_AUTH", "apikey").toLowerCase(java.util.Locale.ROOT),
        blankToNull(env.get("CJ_API_KEYS_FILE")),
        integer(env, "CJ_MAX_REQUEST_BYTES", 64 * 1024 * 1024, 1024, Integer.MAX_VALUE - 8),
        faults(env),
        blankToNull(env.get("CJ_INSTANCE_NAME")),
        // 6 s..30 min: the broker's default group.min/max.session.timeout.ms
        Duration.ofSeconds(integer(env, "CJ_KAFKA_SESSION_TIMEOUT_SECONDS", 30, 6, 1800)));
  }

  /**
   * Who may call the HTTP API. API keys are on by default. {@code CJ_AUTH=none} lets every HTTP caller in as the
   * platform client: refused unless the server listens on loopback only, where the caller is someone on this
   * machine. Resolved by the commands that serve HTTP, not by {@link #fromEnvironment} (the outbox commands need no
   * keys).
   *
   * @throws ConfigException one line naming the variable and the fix
   */
  public Authenticator authenticator() {
    if (authMode.equals("none")) {
      if (!loopback(httpHost)) {
        throw new ConfigException("CJ_AUTH=none is allowed only on loopback, but CJ_HTTP_HOST=" + httpHost
            + "; bind to 127.0.0.1 or use API keys (CJ_API_KEYS_FILE)");
      }
      return Authenticator.none();
    }
    if (!authMode.equals("apikey")) {
      throw new ConfigException("CJ_AUTH=" + authMode + " is not apikey or none (default apikey)");
    }
    String file = apiKeysFile;
    if (file == null) {
      throw new ConfigException("CJ_API_KEYS_FILE is not set: the HTTP API needs API keys (create one with "
          + "'cj apikey create --client ID --org ORG --user USER'), or set CJ_AUTH=none on a loopback address");
    }
    try {
      return ApiKeys.load(Path.of(file));
    } catch (ApiKeys.KeysFileException e) {
      throw new ConfigException("CJ_API_KEYS_FILE: " + e.getMessage());
    }
  }

  private static boolean loopback(String host) {
    try {
      // Every address the name resolves to must be loopback ("localhost" could resolve to more than one).
      InetAddress[] all = InetAddress.getAllByName(host);
      return all.length > 0 && java.util.Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      throw new ConfigException("CJ_HTTP_HOST=" + host + " does not resolve");
    }
  }

  private static FaultSettings faults(Map<String, String> env) {
    FaultSettings d = FaultSettings.defaults();
    Duration backoff = Duration.ofSeconds(integer(env, "CJ_ANSWER_RETRY_BACKOFF_SECONDS",
        (int) d.answerRetries().firstBackoff().toSeconds(), 0, 86_400));
    return new FaultSettings(
        new AnswerRetries(integer(env, "CJ_ANSWER_RETRIES", d.answerRetries().maxRetries(), 0, 100), backoff,
            max(backoff, d.answerRetries().maxBackoff())),
        Duration.ofHours(integer(env, "CJ_AUDIT_RETENTION_HOURS", (int) d.auditRetention().toHours(), 1,
            1_000_000)));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  public boolean embeddedDatabase() {
    return jdbcUrl == null;
  }

  public boolean embeddedKafka() {
    return bootstrapServers == null;
  }

  /**
   * The variables that point the service at running infrastructure (embedded or not), to add to an environment
   * before {@link #fromEnvironment}: one configuration path for production, {@code cj serve}'s embedded mode, the
   * benchmarks and the tests.
   */
  public static Map<String, String> infrastructure(String jdbcUrl, String user, String password,
      String bootstrapServers) {
    return Map.of("CJ_DB_URL", jdbcUrl, "CJ_DB_USER", user, "CJ_DB_PASSWORD", password,
        "CJ_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
  }

  static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static SelectorKind selector(Map<String, String> env) {
    String value = blankToNull(env.get("CJ_PAIR_SELECTOR"));
    if (value == null) {
      return ServiceSettings.defaults().pairSelector();
    }
    return SelectorKind.find(value).orElseThrow(() -> new ConfigException("CJ_PAIR_SELECTOR=" + value
        + " is not a pair selector; use one of " + SelectorKind.ids()));
  }

  /**
   * A topic name or a Kafka static membership id (CJ_INSTANCE_NAME + "-requests"): the broker takes only ASCII
   * letters, digits, '.', '_' and '-', at most 249 of them, and would otherwise refuse it only after the embedded
   * servers started, with a stack trace.
   */
  static String kafkaName(Map<String, String> env, String name, String fallback) {
    String v = str(env, name, fallback);
    // 249 minus the longest suffix appended to an instance name ("-callbacks")
    if (!v.matches("[A-Za-z0-9._-]{1,239}") || v.equals(".") || v.equals("..")) {
      throw new ConfigException(name + "=" + v + " is not a Kafka name: use 1-239 of A-Z a-z 0-9 . _ -");
    }
    return v;
  }

  /** A PostgreSQL JDBC URL, or null when unset (embedded). Not echoed: it may carry a password parameter. */
  static String postgresUrl(Map<String, String> env) {
    String v = blankToNull(env.get("CJ_DB_URL"));
    if (v != null && !v.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("CJ_DB_URL is not a PostgreSQL JDBC URL: use jdbc:postgresql://HOST:PORT/DATABASE");
    }
    return v;
  }

  /** An http(s) URL with a host, or null when unset. */
  static String httpUrl(Map<String, String> env, String name) {
    String v = blankToNull(env.get(name));
    if (v == null) {
      return null;
    }
    try {
      java.net.URI uri = new java.net.URI(v);
      if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null) {
        return v;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new ConfigException(name + "=" + v + " is not an http(s) URL (e.g. http://content-service:8000/v1/content)");
  }

  static String str(Map<String, String> env, String name, String fallback) {
    return Optional.ofNullable(blankToNull(env.get(name))).orElse(fallback);
  }

  static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
    String v = blankToNull(env.get(name));
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
    String v = blankToNull(env.get(name));
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
    String v = blankToNull(env.get(name));
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
