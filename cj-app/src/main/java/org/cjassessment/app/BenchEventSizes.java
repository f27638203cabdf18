package org.cjassessment.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.TimestampType;
import org.cjassessment.core.grade.GradeScale;
import org.cjassessment.outbox.OutboxMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cj bench event-sizes}: how large the result event of a big batch is on the wire, raw and as the relay's
 * producer sends it (one zstd-compressed Kafka record batch), against Kafka's default record limit. No broker: the
 * record batch is built with the Kafka client's own {@link MemoryRecords} builder and zstd codec, which is what the
 * broker checks against {@code max.message.bytes}.
 */
@Command(name = "event-sizes", mixinStandardHelpOptions = true, description = {
    "Size of the huleedu.assessment.result.published.v1 event for large batches: raw JSON and as one",
    "zstd-compressed Kafka record batch, against Kafka's default max.message.bytes (1,048,588 bytes)."})
final class BenchEventSizes implements Callable<Integer> {

  /** Kafka's default {@code message.max.bytes} / topic {@code max.message.bytes}: 1 MiB + 12 bytes of overhead. */
  static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

  @Option(names = "--students", split = ",", defaultValue = "2300,5000,10000",
      description = "Student essays per event, comma-separated (default ${DEFAULT-VALUE}).")
  List<Integer> students;

  @Option(names = "--scale", defaultValue = "swedish_8_anchor",
      description = "Grade scale (default ${DEFAULT-VALUE}; the 9-step scales publish 10 probabilities per essay).")
  String scale;

  @Option(names = "--seed", defaultValue = "1", description = "Simulation seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    GradeScale gradeScale = GradeScale.findById(scale)
        .orElseThrow(() -> new UserInputException("unknown --scale " + scale + "; valid: " + GradeScale.ids()));
    for (int n : students) {
      if (n < 2) { // checked before the table starts, so stdout holds no half table
        throw new UserInputException("--students must each be >= 2, got " + n);
      }
    }
    System.out.printf(Locale.ROOT, "result event sizes, scale %s, ~%d comparisons per essay, seed %d%n",
        gradeScale.id(), LargeResultEvent.COMPARISONS_PER_ESSAY, seed);
    System.out.printf(Locale.ROOT, "%9s %14s %12s %16s %8s %s%n", "students", "raw bytes", "bytes/essay",
        "zstd batch bytes", "ratio", "fits Kafka's default 1 MiB");
    for (int n : students) {
      OutboxMessage event = LargeResultEvent.of(n, gradeScale, seed);
      int raw = event.payload().length;
      int compressed = zstdRecordBatchBytes(event);
      System.out.printf(Locale.ROOT, "%9d %14d %12.0f %16d %7.1fx %s%n", n, raw, raw / (double) n, compressed,
          raw / (double) compressed, compressed <= KAFKA_DEFAULT_MAX_MESSAGE_BYTES ? "yes" : "NO");
    }
    return 0;
  }

  /** The size of the record batch (zstd, default level) that a producer would send for this one event. */
  static int zstdRecordBatchBytes(OutboxMessage event) {
    ByteBuffer buffer = ByteBuffer.allocate(event.payload().length + 64 * 1024);
    MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, Compression.zstd().build(),
        TimestampType.CREATE_TIME, 0L);
    builder.append(System.currentTimeMillis(), event.key().getBytes(StandardCharsets.UTF_8), event.payload());
    return builder.build().sizeInBytes();
  }
}
