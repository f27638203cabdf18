package org.cjassessment.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
class OutboxRelayOrderTest {

  @Test
  void a_later_row_of_a_key_waits_for_the_retry_of_an_earlier_one_while_other_keys_go_ahead() {
    OutboxFixture fixture = OutboxFixture.create();
    String topic = SharedInfrastructure.freshTopic("outbox-order");
    OutboxMessage firstOfA = OutboxFixture.message(topic, "A", "A1");
    OutboxMessage secondOfA = OutboxFixture.message(topic, "A", "A2");
    OutboxMessage onlyOfB = OutboxFixture.message(topic, "B", "B1");
    List.of(firstOfA, secondOfA, onlyOfB).forEach(fixture::append);

    try (KafkaProducer<byte[], byte[]> real = OutboxFixture.realProducer();
        TopicReader reader = new TopicReader(topic)) {
      FaultInjectingProducer producer = new FaultInjectingProducer(real);
      producer.failNextSends(firstOfA.eventId().toString(), 1);
      try (OutboxRelay relay = fixture.relay(producer)
          .backoff(Duration.ofMillis(700), Duration.ofSeconds(2)).jitter(0).start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.status(onlyOfB.eventId()) == OutboxStatus.PUBLISHED);
        // B went ahead; A1 waits for its retry and A2 has not even been tried
        assertThat(fixture.row(firstOfA.eventId()).attempts()).isEqualTo(1);
        assertThat(fixture.status(firstOfA.eventId())).isEqualTo(OutboxStatus.PENDING);
        assertThat(fixture.row(secondOfA.eventId()).attempts()).isZero();
        assertThat(fixture.status(secondOfA.eventId())).isEqualTo(OutboxStatus.PENDING);

        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.allPublished(List.of(firstOfA, secondOfA)));
      }
      List<ConsumerRecord<byte[], byte[]>> records = reader.readToEnd();
      assertThat(records).extracting(TopicReader::eventId)
          .containsExactly(onlyOfB.eventId(), firstOfA.eventId(), secondOfA.eventId());
      assertThat(producer.failedSends).hasValue(1);
    }
  }

  @Test
  void the_same_key_on_another_topic_is_not_held_back() {
    OutboxFixture fixture = OutboxFixture.create();
    String failing = SharedInfrastructure.freshTopic("outbox-order-x");
    String other = SharedInfrastructure.freshTopic("outbox-order-y");
    OutboxMessage stuck = OutboxFixture.message(failing, "batch-1", "request");
    OutboxMessage completion = OutboxFixture.message(other, "batch-1", "completed");
    List.of(stuck, completion).forEach(fixture::append);

    try (KafkaProducer<byte[], byte[]> real = OutboxFixture.realProducer()) {
      FaultInjectingProducer producer = new FaultInjectingProducer(real);
      producer.failNextSends(stuck.eventId().toString(), 1_000);
      try (OutboxRelay relay = fixture.relay(producer).backoff(Duration.ofSeconds(5), Duration.ofSeconds(5)).start()) {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> fixture.status(completion.eventId()) == OutboxStatus.PUBLISHED);
        assertThat(fixture.status(stuck.eventId())).isEqualTo(OutboxStatus.PENDING);
      }
    }
  }
}
