package org.cjassessment.testing;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.cjassessment.embedded.EmbeddedDatabase;
import org.cjassessment.embedded.EmbeddedInfrastructure;
import org.cjassessment.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One PostgreSQL server and one Kafka broker per test JVM, started on first use and shared by every test class.
 *
 * <p>Use it either as an extension, {@code @ExtendWith(SharedInfrastructure.class)}, which starts the servers before
 * the class's tests (so the first test is not charged for it) and injects {@link EmbeddedInfrastructure},
 * {@link EmbeddedDatabase} or {@link EmbeddedKafka} parameters; or through the static methods from anywhere
 * (jqwik properties, helpers). Isolate tests with {@link #freshDatabase()} and {@link #freshTopic(String)}.
 *
 * <p>The servers stop in a JVM shutdown hook, not at the end of the JUnit Jupiter run: other engines in the same
 * JVM (jqwik) may still need them.
 */
public final class SharedInfrastructure implements BeforeAllCallback, ParameterResolver {

  private static final Set<Class<?>> INJECTABLE =
      Set.of(EmbeddedInfrastructure.class, EmbeddedDatabase.class, EmbeddedKafka.class);
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static EmbeddedInfrastructure instance;
  private static int starts;

  /** The shared servers, started on the first call (about the slower of the two startup times). */
  public static synchronized EmbeddedInfrastructure get() {
    if (instance == null) {
      instance = EmbeddedInfrastructure.start().closeOnJvmExit();
      starts++;
      // stderr, not a logger: the startup cost should be visible in CI logs whatever the logging setup
      System.err.println("[cj-testing] " + instance.summary());
    }
    return instance;
  }

  public static EmbeddedDatabase database() {
    return get().database();
  }

  public static EmbeddedKafka kafka() {
    return get().kafka();
  }

  public static String bootstrapServers() {
    return kafka().bootstrapServers();
  }

  /** A new, empty database with a name unique in this JVM ({@code test_1}, {@code test_2}, ...). */
  public static TestDatabase freshDatabase() {
    EmbeddedDatabase database = database();
    String name = "test_" + DATABASES.incrementAndGet();
    String jdbcUrl = database.createDatabase(name);
    return new TestDatabase(name, jdbcUrl, database.username(), database.password());
  }

  /** A new single-partition topic named {@code prefix-N}, unique in this JVM, ready for use. */
  public static String freshTopic(String prefix) {
    return freshTopic(prefix, 1);
  }

  public static String freshTopic(String prefix, int partitions) {
    String name = prefix + "-" + TOPICS.incrementAndGet();
    kafka().createTopics(partitions, name);
    return name;
  }

  /** How many times this JVM started the servers: 1 once anything used them, however many classes did. */
  public static synchronized int startsInThisJvm() {
    return starts;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    get();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return INJECTABLE.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == EmbeddedDatabase.class) {
      return database();
    }
    if (type == EmbeddedKafka.class) {
      return kafka();
    }
    return get();
  }
}
