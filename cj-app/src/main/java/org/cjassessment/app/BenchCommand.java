package org.cjassessment.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cjassessment.app.runtime.ServiceConfig;
import org.cjassessment.app.runtime.ServiceRuntime;
import org.cjassessment.embedded.EmbeddedInfrastructure;
import org.cjassessment.service.Topics;
import org.cjassessment.service.batch.BatchRequest;
import org.cjassessment.service.batch.EssayInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print their figures.",
    subcommands = {BenchCommand.Ingest.class, BenchEventSizes.class, BenchRestart.class})
final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true, description = {
      "Callbacks ingested per second end to end (Kafka -> PostgreSQL -> decision) against pgbench's simple-update",
      "TPS on the same embedded PostgreSQL, in the same run. Needs pgbench on the PATH (Debian: postgresql-client)."})
  static final class Ingest implements Callable<Integer> {

    @Option(names = "--batches", defaultValue = "100", description = "Batches (default ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--essays", defaultValue = "400", description = "Essays per batch (default ${DEFAULT-VALUE}); "
        + "one wave = essays/2 comparisons, which is also the budget, so the wave's last callback finalizes.")
    int essays;

    @Option(names = "--pgbench-seconds", defaultValue = "15", description = "pgbench duration (default 15 s).")
    int pgbenchSeconds;

    @Option(names = "--pgbench-clients", defaultValue = "2", description = "pgbench clients (default 2).")
    int pgbenchClients;

    @Override
    public Integer call() throws Exception {
      // checked before the embedded servers start (--batches 0 used to end in a NullPointerException)
      if (batches < 1 || essays < 2 || pgbenchSeconds < 1 || pgbenchClients < 1) {
        throw new UserInputException("--batches and --pgbench-seconds and --pgbench-clients must be >= 1 and --essays"
            + " >= 2, got " + batches + ", " + pgbenchSeconds + ", " + pgbenchClients + " and " + essays);
      }
      try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start()) {
        String db = infra.database().createDatabase("cj_bench_ingest");
        String pgbench = infra.database().createDatabase("cj_bench_pgbench");
        double tps = pgbench(infra, pgbench.substring(pgbench.lastIndexOf('/') + 1));
        Map<String, String> env = new HashMap<>(ServiceConfig.infrastructure(db, infra.database().username(),
            infra.database().password(), infra.kafka().bootstrapServers()));
        env.put("CJ_CREATE_TOPICS", "true");
        env.put("CJ_HTTP_PORT", "0");
        env.put("CJ_INSTANCE_NAME", "bench");
        env.put("CJ_HTTP_HOST", "127.0.0.1");
        env.put("CJ_AUTH", "none"); // the bench drives the service in-process; its HTTP API is on loopback, unused
        ServiceConfig config = ServiceConfig.fromEnvironment(env);
        Topics topics = config.settings().topics();
        try (ServiceRuntime service = ServiceRuntime.start(config)) {
          int perWave = essays / 2;
          for (int b = 0; b < batches; b++) {
            List<EssayInput> list = new ArrayList<>();
            for (int e = 0; e < essays; e++) {
              list.add(EssayInput.student("e" + e, "Benchmark essay " + e + "."));
            }
            service.intake().submit(new BatchRequest("bench-" + b, "bench-" + b, UUID.randomUUID(), list,
                "swedish_8_anchor", perWave, "bench", null, null, null, "en", null, Map.of()));
          }
          List<String[]> pending = service.jdbi().withHandle(h -> h.createQuery(
              "SELECT correlation_id::text, essay_a FROM comparisons WHERE status = 'PENDING'")
              .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list());
          int total = pending.size();
          Instant start = Instant.now();
          try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
              ProducerConfig.LINGER_MS_CONFIG, 5,
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            int i = 0;
            for (String[] p : pending) {
              producer.send(new ProducerRecord<>(topics.callbacks(), p[0].getBytes(StandardCharsets.UTF_8),
                  callback(p[0], i++ % 3 != 0)));
            }
          }
          while (completed(service) < batches) {
            Thread.sleep(20); // a benchmark's wait for the service, not a test
          }
          // From the first callback applied to the last batch finalized, as the database recorded them: the
          // consumer group's join and the producer's start-up are not part of ingestion.
          Duration elapsed = service.jdbi().withHandle(h -> h.createQuery("""
              SELECT (SELECT max(completed_at) FROM batches) - (SELECT min(answered_at) FROM comparisons)
              """).map((rs, ctx) -> Duration.ofNanos((long) (((org.postgresql.util.PGInterval) rs.getObject(1))
              .getSeconds() * 1e9) + 60L * 1_000_000_000L * ((org.postgresql.util.PGInterval) rs.getObject(1))
                  .getMinutes()))
              .one());
          Duration wall = Duration.between(start, Instant.now());
          double rate = total / (elapsed.toNanos() / 1e9);
          System.out.printf(Locale.ROOT, "callbacks: %d in %.2f s = %.0f callbacks/s end to end "
              + "(first applied to last of %d batches finalized; %.2f s wall from the first send)%n", total,
              elapsed.toNanos() / 1e9, rate, batches, wall.toNanos() / 1e9);
          System.out.printf(Locale.ROOT, "pgbench simple-update (-N, %d clients, %d s) on the same server: %.0f TPS%n",
              pgbenchClients, pgbenchSeconds, tps);
          System.out.printf(Locale.ROOT, "ratio callbacks/s : pgbench TPS = %.2f%n", rate / tps);
        }
      }
      return 0;
    }

    private static int completed(ServiceRuntime service) {
      return service.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM batches WHERE state = 'COMPLETED'")
          .mapTo(Integer.class).one());
    }

    private double pgbench(EmbeddedInfrastructure infra, String database) throws IOException, InterruptedException {
      String port = Integer.toString(infra.database().port());
      run(List.of("pgbench", "-h", "127.0.0.1", "-p", port, "-U", infra.database().username(), "-i", "-s", "10",
          "-q", database));
      String out = run(List.of("pgbench", "-h", "127.0.0.1", "-p", port, "-U", infra.database().username(), "-N",
          "-c", Integer.toString(pgbenchClients), "-j", Integer.toString(pgbenchClients), "-T",
          Integer.toString(pgbenchSeconds), database));
      Matcher m = Pattern.compile("tps = ([0-9.]+)").matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("no TPS in pgbench output:\n" + out);
      }
      return Double.parseDouble(m.group(1));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
      Process p;
      try {
        p = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new UserInputException("pgbench not found on the PATH (Debian: apt-get install postgresql-client)");
      }
      StringBuilder out = new StringBuilder();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        r.lines().forEach(l -> out.append(l).append('\n'));
      }
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
      }
      return out.toString();
    }

    static byte[] callback(String correlationId, boolean firstWins) {
      String id = UUID.randomUUID().toString();
      return ("{\"event_id\":\"" + id + "\",\"event_type\":\"huleedu.llm_provider.comparison_result.v1\","
          + "\"correlation_id\":\"" + UUID.randomUUID() + "\",\"data\":{\"request_id\":\"" + id + "\","
          + "\"correlation_id\":\"" + correlationId + "\",\"winner\":\"" + (firstWins ? "Essay A" : "Essay B")
          + "\",\"justification\":\"bench\",\"confidence\":3.0,\"provider\":\"mock\",\"model\":\"bench\","
          + "\"response_time_ms\":1,\"cost_estimate\":0.0}}").getBytes(StandardCharsets.UTF_8);
    }
  }
}
