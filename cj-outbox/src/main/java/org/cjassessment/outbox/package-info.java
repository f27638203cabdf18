/**
 * A reusable transactional outbox for PostgreSQL and Kafka.
 *
 * <p>Write side: {@link org.cjassessment.outbox.OutboxStore#append} inserts an {@link
 * org.cjassessment.outbox.OutboxMessage} inside the caller's transaction, deduplicated by its deterministic event id.
 * Read side: {@link org.cjassessment.outbox.OutboxRelay} publishes committed rows to Kafka in id order (per topic and
 * key), marks them published only after the broker's acknowledgement, backs off on failure, dead-letters after a
 * bounded number of attempts and deletes old published rows. {@link org.cjassessment.outbox.OutboxAdmin} is the
 * operator's view. {@link org.cjassessment.outbox.OutboxSchema} installs the table.
 *
 * <p>Payload bytes are never logged or put in exception messages: they carry student text.
 */
package org.cjassessment.outbox;
