package io.redstats.api.dashboard;

import io.redstats.contract.event.Topics;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.Nginx;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real notifier node (the module's packaged jar) behind a real nginx, reading the canonical topic
 * of the test Kafka: what the dashboard's live alert list connects to. Started once per JVM, on
 * first use; stopped with the JVM's other test servers.
 */
final class LiveAlertStack {

  /** A notifier starts in well under a minute here, even with other builds sharing the cores. */
  private static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(3);

  /** Several partitions, like a deployment: the test pins its records to one for their order. */
  private static final int PARTITIONS = 3;

  private static LiveAlertStack started;

  private final ServiceProcess notifier;
  private final Nginx nginx;

  private LiveAlertStack(ServiceProcess notifier, Nginx nginx) {
    this.notifier = notifier;
    this.nginx = nginx;
  }

  static synchronized LiveAlertStack get(String jwtSecret) {
    if (started == null) {
      started = start(jwtSecret);
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "live-alert-stack-stop"));
    }
    return started;
  }

  String wsUrl() {
    return nginx.wsUrl("/alerts");
  }

  String kafkaBootstrap() {
    return RealServers.shared().kafkaBootstrap();
  }

  private static LiveAlertStack start(String jwtSecret) {
    RealServers servers = RealServers.shared();
    createCanonicalTopic(servers.kafkaBootstrap());
    Map<String, String> props = new HashMap<>();
    int port = FreePorts.next();
    props.put("server.port", Integer.toString(port));
    props.put("redstats.security.jwt-secret", jwtSecret);
    props.put("redstats.kafka.bootstrap-servers", servers.kafkaBootstrap());
    props.put("spring.datasource.url", servers.postgresJdbcUrl("api_it_notifier"));
    props.put("spring.datasource.username", servers.postgresUser());
    props.put("spring.datasource.password", servers.postgresPassword());
    props.put("redstats.notifier.node-id", "api-it-notifier");
    ServiceProcess notifier =
        ServiceProcess.start(
            "notifier", ServiceProcess.packagedJar("red-stats-notifier"), props, HEALTH_TIMEOUT);
    try {
      return new LiveAlertStack(notifier, servers.nginx(List.of(port)));
    } catch (RuntimeException e) {
      notifier.close();
      throw e;
    }
  }

  private void stop() {
    nginx.close();
    notifier.close();
  }

  private static void createCanonicalTopic(String bootstrap) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(Topics.CANONICAL.name(), PARTITIONS, (short) 1)))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create " + Topics.CANONICAL.name(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
