package org.cjassessment.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Broker properties for one combined broker+controller KRaft node on 127.0.0.1, sized for tests and a local demo:
 * every replication factor and min ISR is 1 (there is one broker), internal topics are small, and consumer groups
 * rebalance without the production delay.
 */
final class SingleNodeKraftConfig {

  static final int NODE_ID = 1;
  static final String BROKER_LISTENER = "PLAINTEXT";
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String ONE_MIB = Integer.toString(1024 * 1024);

  private SingleNodeKraftConfig() {}

  static Properties properties(Path dataDirectory, int brokerPort, int controllerPort, Map<String, String> overrides) {
    String broker = BROKER_LISTENER + "://" + LoopbackPorts.HOST + ":" + brokerPort;
    String controller = CONTROLLER_LISTENER + "://" + LoopbackPorts.HOST + ":" + controllerPort;
    Properties props = new Properties();

    // identity and quorum: a static single-voter quorum needs the controller port up front
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + LoopbackPorts.HOST + ":" + controllerPort);
    props.put("listeners", broker + "," + controller);
    props.put("advertised.listeners", broker);
    props.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", BROKER_LISTENER);
    props.put("log.dirs", dataDirectory.toString());

    // one broker: nothing can be replicated
    props.put("auto.create.topics.enable", "true");
    props.put("num.partitions", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");

    // fast first use: internal topics with few partitions, no rebalance delay
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("group.initial.rebalance.delay.ms", "0");

    // small footprint: 1 MiB segments (Kafka's minimum), a 2 MiB cleaner buffer instead of 128 MiB, fewer threads
    props.put("log.segment.bytes", ONE_MIB);
    props.put("offsets.topic.segment.bytes", ONE_MIB);
    props.put("transaction.state.log.segment.bytes", ONE_MIB);
    props.put("log.index.size.max.bytes", ONE_MIB);
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "4");
    props.put("num.recovery.threads.per.data.dir", "1");

    props.putAll(overrides);
    return props;
  }
}
