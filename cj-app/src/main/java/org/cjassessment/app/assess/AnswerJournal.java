package org.cjassessment.app.assess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cjassessment.service.Json;

/**
 * Every answer a paid judge gave in this output directory, by comparison (correlation id), written to disk and
 * fsynced before the answer goes on to the broker. A comparison asked again after a crash — the worker had the
 * answer but was killed before its callback was acknowledged and its offset committed, so the request is consumed
 * again — is answered from here instead of from the provider: the answer is neither paid for twice nor changed.
 *
 * <p>One JSON object per line ({@code journal.jsonl}). A line torn by a kill during the write is dropped when the
 * journal is opened again (its comparison was never published, so asking again is correct).
 */
public final class AnswerJournal implements AutoCloseable {

  private final Path file;
  private final FileChannel channel;
  private final Map<String, JsonNode> answers = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger replayed = new java.util.concurrent.atomic.AtomicInteger();

  private AnswerJournal(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens (or creates) the journal, reading the answers already in it. */
  public static AnswerJournal open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      long keep = 0;
      AnswerJournal journal = null;
      Map<String, JsonNode> read = new java.util.HashMap<>();
      if (Files.exists(file)) {
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
          if (bytes[i] == '\n') {
            JsonNode line = parse(new String(bytes, start, i - start, StandardCharsets.UTF_8));
            if (line == null) {
              break; // a damaged line: nothing after it can be trusted to be complete either
            }
            read.put(line.get("correlation_id").asText(), line.get("answer"));
            start = i + 1;
            keep = start;
          }
        }
      }
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channel.truncate(keep); // drop a torn last line
      channel.position(keep);
      journal = new AnswerJournal(file, channel);
      journal.answers.putAll(read);
      return journal;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the answer journal " + file, e);
    }
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode node = Json.mapper().readTree(line);
      return node != null && node.hasNonNull("correlation_id") && node.has("answer") ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  public Optional<JsonNode> answer(String correlationId) {
    return Optional.ofNullable(answers.get(correlationId));
  }

  /** Counts an answer given again from the journal instead of the provider. */
  void replayed() {
    replayed.incrementAndGet();
  }

  /** Answers given from the journal in this process: comparisons not asked (or paid for) again. */
  public int replays() {
    return replayed.get();
  }

  public int size() {
    return answers.size();
  }

  /** Appends and fsyncs; returns once the answer is on disk. */
  public synchronized void record(String correlationId, JsonNode answer) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("correlation_id", correlationId);
    line.set("answer", answer);
    try {
      byte[] bytes = (Json.mapper().writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
      answers.put(correlationId, answer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the answer journal " + file, e);
    }
  }

  /** Ids in the journal (for tests and the summary). */
  public List<String> correlationIds() {
    return List.copyOf(answers.keySet());
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // every record was forced already
    }
  }
}
