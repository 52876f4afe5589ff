import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Smoke check of the cluster topology's Kafka, run by smoke.sh with the broker classpath
 * ({@code java -cp <kafka classpath> KafkaSmoke.java BOOTSTRAP}): every broker answers on its
 * own address, a topic with replication factor 3 and min.insync.replicas 2 gets all replicas in
 * sync, records written with acks=all are read back by a consumer group, and the group offsets
 * topic is replicated 3 times with min.insync.replicas 2. The topic and group are deleted again.
 */
public final class KafkaSmoke {
  private static final int REPLICAS = 3;
  private static final int PARTITIONS = 3;
  private static final int RECORDS = 30;
  // A busy 2-core machine runs the whole topology; leader elections and ISR joins take seconds.
  private static final long WAIT_MS = 90_000;

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: KafkaSmoke BOOTSTRAP (host:port,host:port,...)");
    }
    String bootstrap = args[0];
    List<String> brokers = List.of(bootstrap.split(","));
    for (String broker : brokers) {
      try (Admin admin = admin(broker)) {
        int nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        String controller = admin.describeCluster().controller().get(30, TimeUnit.SECONDS).idString();
        check(nodes == brokers.size(), broker + " sees " + nodes + " brokers, not " + brokers.size());
        System.out.println("ok   broker " + broker + " answers: " + nodes + " brokers, controller " + controller);
      }
    }
    String name = "redstats-smoke-" + System.currentTimeMillis();
    try (Admin admin = admin(bootstrap)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(name, PARTITIONS, (short) REPLICAS)
                      .configs(Map.of("min.insync.replicas", "2"))))
          .all()
          .get(60, TimeUnit.SECONDS);
      awaitFullIsr(admin, name);
      System.out.println(
          "ok   topic " + name + ": " + PARTITIONS + " partitions, " + REPLICAS + " replicas each, all in sync");
      produce(bootstrap, name);
      int read = consume(bootstrap, name);
      check(read == RECORDS, "read " + read + " of " + RECORDS + " records");
      System.out.println("ok   " + RECORDS + " records produced (acks=all) and consumed by group " + name);
      TopicDescription offsets =
          admin.describeTopics(Set.of("__consumer_offsets")).allTopicNames().get(30, TimeUnit.SECONDS)
              .get("__consumer_offsets");
      for (TopicPartitionInfo p : offsets.partitions()) {
        check(p.replicas().size() == REPLICAS, "__consumer_offsets-" + p.partition() + " has " + p.replicas().size() + " replicas");
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "__consumer_offsets");
      Config config = admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      String minIsr = config.get("min.insync.replicas").value();
      check("2".equals(minIsr), "__consumer_offsets min.insync.replicas is " + minIsr);
      System.out.println(
          "ok   __consumer_offsets: " + offsets.partitions().size() + " partitions, " + REPLICAS + " replicas, min.insync.replicas " + minIsr);
      admin.deleteConsumerGroups(Set.of(name)).all().get(30, TimeUnit.SECONDS);
      admin.deleteTopics(Set.of(name)).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static Admin admin(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
    return Admin.create(props);
  }

  private static void awaitFullIsr(Admin admin, String topic) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      Collection<TopicPartitionInfo> partitions = new ArrayList<>();
      try {
        partitions =
            admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions();
      } catch (java.util.concurrent.ExecutionException e) {
        // Not yet known to the broker that answered: ask again.
      }
      boolean inSync =
          partitions.size() == PARTITIONS
              && partitions.stream().allMatch(p -> p.leader() != null && p.isr().size() == REPLICAS);
      if (inSync) {
        return;
      }
      check(System.currentTimeMillis() < deadline, topic + " did not get " + REPLICAS + " in-sync replicas: " + partitions);
      Thread.sleep(200);
    }
  }

  private static void produce(String bootstrap, String topic) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)).get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static int consume(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    int read = 0;
    long deadline = System.currentTimeMillis() + WAIT_MS;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      while (read < RECORDS && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> ignored : consumer.poll(Duration.ofMillis(500))) {
          read++;
        }
      }
      consumer.commitSync();
    }
    return read;
  }

  private static void check(boolean condition, String failure) {
    if (!condition) {
      System.out.println("FAIL " + failure);
      System.exit(1);
    }
  }
}
