package org.cjassessment.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.cjassessment.testing.SharedInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedInfrastructure.class)
class TwoRelaysTest {

  private static final int KEYS = 30;
  private static final int PER_KEY = 10;
  private static final int APPENDERS = 3;

  @Test
  void two_relays_on_one_database_publish_every_row_exactly_once_in_per_key_order() throws Exception {
    OutboxFixture fixture = OutboxFixture.create();
    String topic = SharedInfrastructure.freshTopic("outbox-two-relays", 3);

    // keys are split between appender threads, so each key's rows commit in id order
    Map<String, List<UUID>> appendedByKey = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> publishedBy = new LinkedHashMap<>();
    ExecutorService appenders = Executors.newFixedThreadPool(APPENDERS);
    try (KafkaProducer<byte[], byte[]> producerA = OutboxFixture.realProducer();
        KafkaProducer<byte[], byte[]> producerB = OutboxFixture.realProducer();
        OutboxRelay relayA = fixture.relay(producerA).name("relay-a").batchSize(8)
            .metrics(countingInto(publishedBy, "relay-a")).start();
        OutboxRelay relayB = fixture.relay(producerB).name("relay-b").batchSize(8)
            .metrics(countingInto(publishedBy, "relay-b")).start();
        TopicReader reader = new TopicReader(topic)) {
      List<Future<?>> appending = new ArrayList<>();
      for (int t = 0; t < APPENDERS; t++) {
        int thread = t;
        appending.add(appenders.submit(() -> {
          for (int round = 0; round < PER_KEY; round++) {
            for (int k = thread; k < KEYS; k += APPENDERS) {
              String key = "batch-" + k;
              OutboxMessage message = OutboxFixture.message(topic, key, key + "#" + round);
              fixture.append(message);
              appendedByKey.computeIfAbsent(key, x -> Collections.synchronizedList(new ArrayList<>()))
                  .add(message.eventId());
            }
          }
        }));
      }
      for (Future<?> f : appending) {
        f.get(60, TimeUnit.SECONDS);
      }
      await().atMost(Duration.ofSeconds(30))
          .until(() -> fixture.admin.counts().get(OutboxStatus.PUBLISHED) == KEYS * PER_KEY);

      List<ConsumerRecord<byte[], byte[]>> records = reader.readToEnd();
      assertThat(records).hasSize(KEYS * PER_KEY);
      assertThat(records).extracting(TopicReader::eventId).doesNotHaveDuplicates();

      Map<String, List<UUID>> consumedByKey = new LinkedHashMap<>();
      records.forEach(r -> consumedByKey.computeIfAbsent(TopicReader.key(r), k -> new ArrayList<>())
          .add(TopicReader.eventId(r)));
      assertThat(consumedByKey).containsExactlyInAnyOrderEntriesOf(appendedByKey);

      System.out.println("rows published per relay: " + publishedBy);
      assertThat(publishedBy.values()).allSatisfy(n -> assertThat(n.get()).as("both relays took part").isPositive());
      assertThat(publishedBy.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(KEYS * PER_KEY);
    } finally {
      appenders.shutdownNow();
    }
  }

  private static RelayMetrics countingInto(Map<String, AtomicInteger> counts, String relay) {
    AtomicInteger count = new AtomicInteger();
    counts.put(relay, count);
    return new RelayMetrics() {
      @Override
      public void published(String topic, String eventType, Duration appendToAck) {
        count.incrementAndGet();
      }
    };
  }
}
