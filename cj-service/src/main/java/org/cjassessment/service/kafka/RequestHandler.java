package org.cjassessment.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.cjassessment.core.batch.FailureReason;
import org.cjassessment.service.batch.BatchConflictException;
import org.cjassessment.service.batch.BatchIntake;
import org.cjassessment.service.batch.RejectedRequests;
import org.cjassessment.service.batch.InvalidRequestException;
import org.cjassessment.service.intake.ContentUnavailableException;
import org.cjassessment.service.intake.RequestEventParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assessment requests from Kafka: each becomes a batch and its first wave in one transaction; a redelivered or
 * re-published request (same entity_id, same content) finds its batch and creates nothing. A request that can never
 * be served is dead-lettered and, when its upstream batch id can be read, ends that batch with a failure event; a
 * copy with different content than the existing batch is dead-lettered only (the batch goes on). A content store
 * that is down makes the poll retry.
 */
public final class RequestHandler implements ConsumerLoop.PollHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

  private final RequestEventParser parser;
  private final BatchIntake intake;
  private final DeadLetters deadLetters;
  private final RejectedRequests rejected;

  public RequestHandler(RequestEventParser parser, BatchIntake intake, DeadLetters deadLetters,
      RejectedRequests rejected) {
    this.parser = parser;
    this.intake = intake;
    this.deadLetters = deadLetters;
    this.rejected = rejected;
  }

  /**
   * A request that fails on its own (e.g. text PostgreSQL cannot store): its upstream batch gets its failure event,
   * so that ELS does not wait for it forever, and the record is dead-lettered with the reason.
   */
  @Override
  public void reject(ConsumerRecord<byte[], byte[]> record, String reason) {
    refuse(record, FailureReason.INVALID_REQUEST, reason);
  }

  @Override
  public void handle(ConsumerRecords<byte[], byte[]> records) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        BatchIntake.Submitted s = intake.submit(parser.parse(record.value() == null ? new byte[0] : record.value()));
        LOG.info("request {}-{}@{} → job {} ({})", record.topic(), record.partition(), record.offset(), s.jobId(),
            s.created() ? "created" : "already known");
      } catch (InvalidRequestException e) {
        refuse(record, FailureReason.INVALID_REQUEST, e.getMessage());
      } catch (ContentUnavailableException e) {
        if (e.transientFailure()) {
          throw e; // retry the poll later
        }
        refuse(record, FailureReason.CONTENT_UNAVAILABLE, e.getMessage());
      } catch (BatchConflictException e) {
        deadLetters.send(record, e.getMessage());
      }
    }
  }

  /**
   * The failure event first (committed), then the dead letter: a crash between them repeats both harmlessly. If the
   * event itself cannot be stored (the batch id is what the database refuses), the dead letter still goes out.
   */
  private void refuse(ConsumerRecord<byte[], byte[]> record, FailureReason code, String reason) {
    try {
      RequestEventParser.identify(record.value() == null ? new byte[0] : record.value())
          .ifPresent(request -> rejected.fail(request, code, reason));
    } catch (org.jdbi.v3.core.JdbiException e) {
      LOG.warn("no failure event for refused request {}-{}@{}: {}", record.topic(), record.partition(),
          record.offset(), e.getClass().getSimpleName());
    }
    deadLetters.send(record, reason);
  }
}
