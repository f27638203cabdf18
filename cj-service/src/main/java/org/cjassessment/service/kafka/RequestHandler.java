package org.cjassessment.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.cjassessment.service.batch.BatchIntake;
import org.cjassessment.service.batch.InvalidRequestException;
import org.cjassessment.service.intake.ContentUnavailableException;
import org.cjassessment.service.intake.RequestEventParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assessment requests from Kafka: each becomes a batch and its first wave in one transaction; a redelivered request
 * finds its batch and creates nothing. Unusable requests are dead-lettered; a content store that is down makes the
 * poll retry.
 */
public final class RequestHandler implements ConsumerLoop.PollHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

  private final RequestEventParser parser;
  private final BatchIntake intake;
  private final DeadLetters deadLetters;

  public RequestHandler(RequestEventParser parser, BatchIntake intake, DeadLetters deadLetters) {
    this.parser = parser;
    this.intake = intake;
    this.deadLetters = deadLetters;
  }

  /**
   * A request that fails on its own (e.g. text PostgreSQL cannot store): dead-lettered with the reason.
   * TODO(issue 8a): also publish huleedu.cj_assessment.failed.v1 for its upstream batch, through the unservable
   * request path of intake, once it is on main, so that ELS does not wait for the batch forever.
   */
  @Override
  public void reject(ConsumerRecord<byte[], byte[]> record, String reason) {
    deadLetters.send(record, reason);
  }

  @Override
  public void handle(ConsumerRecords<byte[], byte[]> records) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        BatchIntake.Submitted s = intake.submit(parser.parse(record.value() == null ? new byte[0] : record.value()));
        LOG.info("request {}-{}@{} → job {} ({})", record.topic(), record.partition(), record.offset(), s.jobId(),
            s.created() ? "created" : "already known");
      } catch (InvalidRequestException e) {
        deadLetters.send(record, e.getMessage());
      } catch (ContentUnavailableException e) {
        if (e.transientFailure()) {
          throw e; // retry the poll later
        }
        deadLetters.send(record, e.getMessage());
      }
    }
  }
}
