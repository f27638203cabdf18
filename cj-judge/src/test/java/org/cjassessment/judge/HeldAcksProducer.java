package org.cjassessment.judge;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real producer whose acknowledgements reach the worker only when the test releases them: the record is on the
 * broker, but the worker has not heard so yet — the window in which it must not commit.
 */
final class HeldAcksProducer extends MockProducer<byte[], byte[]> {

  private final KafkaProducer<byte[], byte[]> real;
  private final List<Runnable> held = new CopyOnWriteArrayList<>();

  private HeldAcksProducer(KafkaProducer<byte[], byte[]> real) {
    this.real = real;
  }

  static HeldAcksProducer create(String bootstrap) {
    return new HeldAcksProducer(new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
  }

  @Override
  public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
    return real.send(record, (metadata, error) -> held.add(() -> callback.onCompletion(metadata, error)));
  }

  int held() {
    return held.size();
  }

  void releaseAll() {
    List<Runnable> now = List.copyOf(held);
    held.removeAll(now);
    now.forEach(Runnable::run);
  }

  @Override
  public void close(java.time.Duration timeout) {
    real.close(timeout);
  }
}
