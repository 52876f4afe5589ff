package io.redstats.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.redstats.contract.event.Topics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/kubernetes/redstats, the Helm chart for a real cluster, cannot be applied here (no
 * cluster), so it is rendered by Helm itself (helm-java: Helm's Go code as a library from Maven
 * Central), linted strictly, and every object it renders is read into the Kubernetes (fabric8) or
 * Strimzi model of its apiVersion and kind with unknown fields and wrong scalar types refused. The
 * operators without a Java model (Altinity, CloudNativePG) get their required fields checked. Then
 * the promises the manifests carry: probes on the health groups the services enable, secrets only
 * from Secrets, every Service and Ingress pointing at a port that exists, a disruption budget per
 * workload, the WebSocket timeouts of the project's nginx, and Kafka's replication and ACLs.
 */
class KubernetesManifestsTest {

  private static final Path ROOT = Path.of(System.getProperty("redstats.root", ".."));
  private static final Path CHART = ROOT.resolve("deploy/kubernetes/redstats");
  private static final Set<String> SERVICE_MODULES =
      Set.of("red-service", "red-stats-ingest", "red-stats-notifier", "red-stats-api");
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(SECRET|PASSWORD|TOKEN|JAAS).*");

  /** Every kind the chart may render, by apiVersion/kind, with the model that must read it. */
  private static final Map<String, Class<?>> MODELS =
      Map.ofEntries(
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
          Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
          Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
          Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
          Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class));

  /** Operator resources without a Java model: their fields are checked one by one below. */
  private static final Set<String> UNMODELLED =
      Set.of(
          "clickhouse.altinity.com/v1/ClickHouseInstallation",
          "clickhouse-keeper.altinity.com/v1/ClickHouseKeeperInstallation",
          "postgresql.cnpg.io/v1/Cluster");

  private static final ObjectMapper STRICT = strictMapper();

  private static Rendered operators;
  private static Rendered external;

  @BeforeAll
  static void render() {
    operators = Rendered.of(helmTemplate(CHART.resolve("values.yaml")));
    external = Rendered.of(helmTemplate(CHART.resolve("values-external.yaml")));
  }

  private static String helmTemplate(Path values) {
    return new Helm(CHART)
        .template()
        .withName("redstats")
        .withNamespace("redstats")
        .withValuesFile(values)
        .call();
  }

  @Test
  void chartPassesHelmLintStrict() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void everyRenderedObjectIsAKindWeKnowWithOnlyFieldsItsModelHas() {
    for (Rendered rendered : List.of(operators, external)) {
      assertThat(rendered.objects).isNotEmpty();
      for (Map<String, Object> raw : rendered.raw) {
        assertThat(MODELS.containsKey(key(raw)) || UNMODELLED.contains(key(raw)))
            .as("unknown apiVersion/kind %s", key(raw))
            .isTrue();
      }
    }
    assertThat(operators.raw.stream().map(KubernetesManifestsTest::key))
        .as("the operators' resources")
        .containsAll(UNMODELLED)
        .contains(
            "kafka.strimzi.io/v1beta2/Kafka",
            "kafka.strimzi.io/v1beta2/KafkaNodePool",
            "kafka.strimzi.io/v1beta2/KafkaTopic",
            "kafka.strimzi.io/v1beta2/KafkaUser");
  }

  @Test
  void externalEnginesOverlayDeclaresNoOperatorResourcesAndNamesEveryEndpoint() {
    assertThat(external.raw.stream().map(KubernetesManifestsTest::key))
        .allMatch(
            k ->
                k.startsWith("v1/")
                    || k.startsWith("apps/")
                    || k.contains(".k8s.io/")
                    || k.startsWith("policy/"));
    Map<String, String> endpoints = external.configMap("redstats-endpoints");
    assertThat(endpoints)
        .containsKeys(
            "REDSTATS_KAFKA_BOOTSTRAP_SERVERS", "REDSTATS_CLICKHOUSE_URL", "SPRING_DATASOURCE_URL");
    assertThat(endpoints.values()).allMatch(v -> !v.isBlank());
    assertThat(endpoints.get("REDSTATS_CLICKHOUSE_URL")).startsWith("jdbc:clickhouse://");
    assertThat(endpoints.get("SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://");
    for (Container container : external.containers()) {
      assertThat(envNames(container))
          .as(container.getName())
          .doesNotContain("REDSTATS_KAFKA_SASL_JAAS_CONFIG");
    }
  }

  @Test
  void theFourServicesRunFromTheImagesTheDockerfileBuilds() {
    for (Rendered rendered : List.of(operators, external)) {
      Set<String> modules = new HashSet<>();
      for (Container container : rendered.containers()) {
        Matcher image = Pattern.compile("redstats/([a-z-]+):(.+)").matcher(container.getImage());
        assertThat(image.matches()).as(container.getImage()).isTrue();
        assertThat(ROOT.resolve(image.group(1)).resolve("pom.xml")).exists();
        modules.add(image.group(1));
      }
      assertThat(modules).isEqualTo(SERVICE_MODULES);
    }
  }

  @Test
  void everyContainerHasProbesOnTheHealthGroupsItsServiceEnablesAndResources() throws Exception {
    for (Rendered rendered : List.of(operators, external)) {
      for (PodTemplateSpec pod : rendered.podTemplates()) {
        for (Container container : pod.getSpec().getContainers()) {
          String name = container.getName();
          assertThat(container.getPorts())
              .as(name)
              .anyMatch(p -> "http".equals(p.getName()) && p.getContainerPort() > 0);
          assertProbe(name, container.getReadinessProbe(), "/actuator/health/readiness");
          assertProbe(name, container.getLivenessProbe(), "/actuator/health/liveness");
          for (String kind : List.of("cpu", "memory")) {
            Quantity request = container.getResources().getRequests().get(kind);
            Quantity limit = container.getResources().getLimits().get(kind);
            assertThat(request).as(name + " request " + kind).isNotNull();
            assertThat(limit).as(name + " limit " + kind).isNotNull();
            assertThat(Quantity.getAmountInBytes(request))
                .as(name + " " + kind)
                .isLessThanOrEqualTo(Quantity.getAmountInBytes(limit));
          }
          String module = container.getImage().replaceAll("^.*/([a-z-]+):.*$", "$1");
          assertThat(healthProbesEnabled(module)).as(module + " enables the probe groups").isTrue();
        }
      }
    }
  }

  private static void assertProbe(String container, Probe probe, String path) {
    assertThat(probe).as(container + " " + path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(container).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).as(container).isEqualTo("http");
  }

  /**
   * The /liveness and /readiness groups exist only where they are turned on: by the service kit's
   * defaults for every service built on it, unless the service's own configuration turns them off.
   */
  private static boolean healthProbesEnabled(String module) throws Exception {
    Path resources = ROOT.resolve(module).resolve("src/main/resources");
    Path yml = resources.resolve("application.yml");
    Path properties = resources.resolve("application.properties");
    String own =
        Files.exists(yml)
            ? Files.readString(yml)
            : Files.exists(properties) ? Files.readString(properties) : "";
    if (Pattern.compile("probes(:\\s*\\n\\s*enabled:|\\.enabled=)\\s*false").matcher(own).find()) {
      return false;
    }
    boolean onTheKit =
        Files.readString(ROOT.resolve(module).resolve("pom.xml"))
            .contains("<artifactId>red-stats-service-kit</artifactId>");
    boolean kitTurnsThemOn =
        Files.readString(
                ROOT.resolve(
                    "red-stats-service-kit/src/main/java/io/redstats/kit/ServiceKitDefaults.java"))
            .contains("\"management.endpoint.health.probes.enabled\", \"true\"");
    return (onTheKit && kitTurnsThemOn)
        || Pattern.compile("probes(:\\s*\\n\\s*enabled:|\\.enabled=)\\s*true").matcher(own).find();
  }

  @Test
  void secretsComeOnlyFromSecretsNeverFromValuesConfigMapsOrCommandLines() {
    for (Rendered rendered : List.of(operators, external)) {
      assertThat(rendered.raw.stream().map(KubernetesManifestsTest::key))
          .as("the chart carries no Secret: it is made outside it")
          .doesNotContain("v1/Secret");
      for (Container container : rendered.containers()) {
        assertThat(container.getCommand()).as(container.getName()).isEmpty();
        assertThat(container.getArgs()).as(container.getName()).isEmpty();
        for (EnvVar env : container.getEnv()) {
          if (SECRET_NAME.matcher(env.getName()).matches()) {
            assertThat(env.getValueFrom())
                .as(container.getName() + " " + env.getName())
                .isNotNull();
            assertThat(env.getValueFrom().getSecretKeyRef())
                .as(container.getName() + " " + env.getName() + " from a Secret")
                .isNotNull();
          }
        }
        assertThat(envNames(container))
            .as(container.getName())
            .contains("REDSTATS_SECURITY_JWT_SECRET");
      }
      for (ConfigMap map : rendered.all(ConfigMap.class)) {
        assertThat(map.getData().keySet())
            .as(map.getMetadata().getName())
            .noneMatch(k -> SECRET_NAME.matcher(k).matches());
      }
    }
  }

  @Test
  void servicesIngressesAndConfigMapReferencesPointAtThingsThatExist() {
    for (Rendered rendered : List.of(operators, external)) {
      Map<String, Service> services =
          rendered.all(Service.class).stream()
              .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
      for (Service service : services.values()) {
        List<PodTemplateSpec> pods = rendered.podsSelectedBy(service.getSpec().getSelector());
        assertThat(pods).as(service.getMetadata().getName() + " selects pods").isNotEmpty();
        for (ServicePort port : service.getSpec().getPorts()) {
          String target = port.getTargetPort().getStrVal();
          assertThat(pods)
              .as(service.getMetadata().getName() + " target port " + target)
              .allMatch(
                  pod ->
                      pod.getSpec().getContainers().stream()
                          .flatMap(c -> c.getPorts().stream())
                          .anyMatch(p -> target.equals(p.getName())));
        }
      }
      for (StatefulSet set : rendered.all(StatefulSet.class)) {
        assertThat(services.get(set.getSpec().getServiceName()))
            .as(set.getMetadata().getName() + " serviceName")
            .isNotNull();
        assertThat(services.get(set.getSpec().getServiceName()).getSpec().getClusterIP())
            .isEqualTo("None");
      }
      for (Ingress ingress : rendered.all(Ingress.class)) {
        ingress.getSpec().getRules().stream()
            .flatMap(rule -> rule.getHttp().getPaths().stream())
            .map(path -> path.getBackend())
            .forEach(backend -> assertBackendExists(ingress, backend, services));
      }
      Set<String> configMaps =
          rendered.all(ConfigMap.class).stream()
              .map(m -> m.getMetadata().getName())
              .collect(Collectors.toSet());
      for (Container container : rendered.containers()) {
        container
            .getEnvFrom()
            .forEach(
                from ->
                    assertThat(configMaps)
                        .as(container.getName())
                        .contains(from.getConfigMapRef().getName()));
      }
    }
  }

  private static void assertBackendExists(
      Ingress ingress, IngressBackend backend, Map<String, Service> services) {
    Service service = services.get(backend.getService().getName());
    assertThat(service).as(ingress.getMetadata().getName() + " backend").isNotNull();
    assertThat(service.getSpec().getPorts())
        .anyMatch(p -> p.getName().equals(backend.getService().getPort().getName()));
  }

  @Test
  void everyWorkloadHasAPodDisruptionBudget() {
    for (Rendered rendered : List.of(operators, external)) {
      List<PodDisruptionBudget> budgets = rendered.all(PodDisruptionBudget.class);
      for (PodTemplateSpec pod : rendered.podTemplates()) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        assertThat(budgets)
            .as("a budget for %s", labels)
            .anyMatch(
                b ->
                    labels
                        .entrySet()
                        .containsAll(b.getSpec().getSelector().getMatchLabels().entrySet()));
      }
    }
  }

  @Test
  void alertsIngressKeepsWebSocketsOpenAsLongAsTheProjectsNginxDoes() throws Exception {
    String nginx = Files.readString(ROOT.resolve("deploy/docker/nginx.conf"));
    Ingress alerts =
        operators.all(Ingress.class).stream()
            .filter(
                i ->
                    i.getSpec()
                        .getRules()
                        .get(0)
                        .getHttp()
                        .getPaths()
                        .get(0)
                        .getBackend()
                        .getService()
                        .getName()
                        .equals("redstats-notifier"))
            .findFirst()
            .orElseThrow();
    Map<String, String> annotations = alerts.getMetadata().getAnnotations();
    String prefix = "nginx.ingress.kubernetes.io/";
    assertThat(Long.parseLong(annotations.get(prefix + "proxy-read-timeout")))
        .isGreaterThanOrEqualTo(nginxSeconds(nginx, "proxy_read_timeout"));
    assertThat(Long.parseLong(annotations.get(prefix + "proxy-send-timeout")))
        .isGreaterThanOrEqualTo(nginxSeconds(nginx, "proxy_send_timeout"));
    assertThat(Long.parseLong(annotations.get(prefix + "proxy-connect-timeout")))
        .isEqualTo(nginxSeconds(nginx, "proxy_connect_timeout"));
    Matcher nextUpstream = Pattern.compile("proxy_next_upstream ([^;]+);").matcher(nginx);
    assertThat(nextUpstream.find()).isTrue();
    assertThat(annotations.get(prefix + "proxy-next-upstream")).isEqualTo(nextUpstream.group(1));
    assertThat(operators.configMap("redstats-api").get("REDSTATS_API_NOTIFIER_WS_URL"))
        .isEqualTo("ws://" + alerts.getSpec().getRules().get(0).getHost() + "/alerts");
  }

  private static long nginxSeconds(String nginx, String directive) {
    Matcher m = Pattern.compile(directive + " (\\d+)([smh]?);").matcher(nginx);
    assertThat(m.find()).as(directive).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> n * 60;
      case "h" -> n * 3600;
      default -> n;
    };
  }

  @Test
  void kafkaHasThreeBrokersReplicatesEveryTopicThreeWaysAndNeedsScram() throws Exception {
    Kafka kafka = operators.all(Kafka.class).get(0);
    assertThat(kafka.getMetadata().getAnnotations())
        .containsEntry("strimzi.io/kraft", "enabled")
        .containsEntry("strimzi.io/node-pools", "enabled");
    Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
    assertThat(config)
        .containsEntry("default.replication.factor", 3)
        .containsEntry("min.insync.replicas", 2)
        .containsEntry("transaction.state.log.replication.factor", 3)
        .containsEntry("transaction.state.log.min.isr", 2);
    assertThat(kafka.getSpec().getKafka().getAuthorization())
        .isInstanceOf(KafkaAuthorizationSimple.class);
    for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
      assertThat(listener.getAuth())
          .as(listener.getName())
          .isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
    }
    int brokers = 0;
    int controllers = 0;
    for (KafkaNodePool pool : operators.all(KafkaNodePool.class)) {
      assertThat(pool.getMetadata().getLabels())
          .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
      brokers +=
          pool.getSpec().getRoles().contains(ProcessRoles.BROKER)
              ? pool.getSpec().getReplicas()
              : 0;
      controllers +=
          pool.getSpec().getRoles().contains(ProcessRoles.CONTROLLER)
              ? pool.getSpec().getReplicas()
              : 0;
    }
    assertThat(brokers).isGreaterThanOrEqualTo(3);
    assertThat(controllers).isGreaterThanOrEqualTo(3).matches(n -> n % 2 == 1, "odd");

    int partitions =
        Integer.parseInt(operators.configMap("redstats-common").get("REDSTATS_KAFKA_PARTITIONS"));
    Map<String, KafkaTopic> topics =
        operators.all(KafkaTopic.class).stream()
            .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t));
    assertThat(topics.keySet()).containsAll(contractTopicNames());
    for (KafkaTopic topic : topics.values()) {
      assertThat(topic.getSpec().getReplicas()).as(topic.getSpec().getTopicName()).isEqualTo(3);
      assertThat(topic.getSpec().getPartitions()).isEqualTo(partitions);
      assertThat(topic.getSpec().getConfig()).containsEntry("min.insync.replicas", 2);
    }
    assertThat(operators.configMap("redstats-endpoints").get("REDSTATS_KAFKA_BOOTSTRAP_SERVERS"))
        .isEqualTo(kafka.getMetadata().getName() + "-kafka-bootstrap:9092");
  }

  /** Every topic the contract names, read from {@link Topics} so a new one needs a KafkaTopic. */
  private static Set<String> contractTopicNames() throws Exception {
    Set<String> names = new HashSet<>();
    for (Field field : Topics.class.getFields()) {
      if (!Modifier.isStatic(field.getModifiers()) || !field.getType().isRecord()) {
        continue;
      }
      Object topic = field.get(null);
      names.add((String) topic.getClass().getMethod("name").invoke(topic));
    }
    assertThat(names).contains(Topics.RAW.name(), Topics.CANONICAL.name(), Topics.DLQ.name());
    return names;
  }

  @Test
  void kafkaUsersHoldOnlyTheirRightsAndEveryServiceUsesItsOwn() {
    Map<String, List<AclRule>> acls =
        operators.all(KafkaUser.class).stream()
            .collect(
                Collectors.toMap(
                    u -> u.getMetadata().getName(),
                    u ->
                        ((KafkaUserAuthorizationSimple) u.getSpec().getAuthorization()).getAcls()));
    String raw = Topics.RAW.name();
    String canonical = Topics.CANONICAL.name();
    assertThat(acls).containsOnlyKeys("redstats-ingest", "redstats-sink", "redstats-notifier");

    assertThat(allows(acls.get("redstats-ingest"), raw, AclOperation.WRITE)).isTrue();
    assertThat(allows(acls.get("redstats-ingest"), raw, AclOperation.READ)).isTrue();
    assertThat(allows(acls.get("redstats-ingest"), canonical, AclOperation.WRITE)).isTrue();
    assertThat(allows(acls.get("redstats-ingest"), canonical, AclOperation.READ)).isFalse();

    assertThat(allows(acls.get("redstats-sink"), canonical, AclOperation.READ)).isTrue();
    assertThat(allows(acls.get("redstats-sink"), canonical, AclOperation.WRITE)).isFalse();
    assertThat(allows(acls.get("redstats-sink"), raw, AclOperation.WRITE)).isFalse();

    for (AclRule rule : acls.get("redstats-notifier")) {
      assertThat(rule.getResource()).isInstanceOf(AclRuleTopicResource.class);
      assertThat(((AclRuleTopicResource) rule.getResource()).getName()).isEqualTo(canonical);
      assertThat(rule.getOperations()).containsOnly(AclOperation.READ, AclOperation.DESCRIBE);
    }

    Map<String, String> userOf =
        Map.of(
            "ingest", "redstats-ingest", "sink", "redstats-sink", "notifier", "redstats-notifier");
    for (Container container : operators.containers()) {
      if (!container.getImage().contains("red-stats-ingest")
          && !container.getImage().contains("red-stats-notifier")) {
        continue;
      }
      EnvVar jaas =
          container.getEnv().stream()
              .filter(e -> e.getName().equals("REDSTATS_KAFKA_SASL_JAAS_CONFIG"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(container.getName() + " has no Kafka user"));
      assertThat(jaas.getValueFrom().getSecretKeyRef().getName())
          .as(container.getName())
          .isEqualTo(userOf.get(container.getName()));
    }
  }

  private static boolean allows(List<AclRule> rules, String topic, AclOperation operation) {
    return rules.stream()
        .anyMatch(
            rule ->
                rule.getResource() instanceof AclRuleTopicResource resource
                    && resource.getName().equals(topic)
                    && rule.getOperations().contains(operation));
  }

  @Test
  @SuppressWarnings("unchecked")
  void clickHouseIsTwoShardsOfTwoReplicasOnKeeperAndPostgresIsACloudNativePgCluster() {
    Map<String, Object> chi = operators.one("ClickHouseInstallation");
    Map<String, Object> chk = operators.one("ClickHouseKeeperInstallation");
    Map<String, Object> pg = operators.one("Cluster");

    Map<String, Object> configuration = path(chi, "spec", "configuration");
    List<Map<String, Object>> clusters = (List<Map<String, Object>>) configuration.get("clusters");
    assertThat(clusters).hasSize(1);
    Map<String, Object> layout = path(clusters.get(0), "layout");
    assertThat(layout).containsEntry("shardsCount", 2).containsEntry("replicasCount", 2);
    List<Map<String, Object>> keepers =
        (List<Map<String, Object>>) path(configuration, "zookeeper").get("nodes");
    assertThat(keepers)
        .singleElement()
        .satisfies(
            node -> {
              assertThat(node.get("host")).isEqualTo("keeper-" + name(chk));
              assertThat(node.get("port")).isEqualTo(2181);
            });
    Map<String, Object> users = (Map<String, Object>) configuration.get("users");
    assertThat(users)
        .containsEntry(
            "redstats/k8s_secret_password", operators.secretName() + "/clickhouse-password")
        .doesNotContainKey("redstats/password");
    assertTemplatesExist(chi);
    List<Map<String, Object>> keeperClusters =
        (List<Map<String, Object>>) path(chk, "spec", "configuration").get("clusters");
    assertThat((Integer) path(keeperClusters.get(0), "layout").get("replicasCount"))
        .isGreaterThanOrEqualTo(3)
        .matches(n -> n % 2 == 1, "odd");
    assertTemplatesExist(chk);
    assertThat(operators.configMap("redstats-endpoints").get("REDSTATS_CLICKHOUSE_URL"))
        .startsWith("jdbc:clickhouse://clickhouse-" + name(chi) + ":8123/");

    assertThat((Integer) path(pg, "spec").get("instances")).isGreaterThanOrEqualTo(3);
    assertThat(path(pg, "spec", "storage").get("size")).isNotNull();
    Map<String, Object> initdb = path(pg, "spec", "bootstrap", "initdb");
    assertThat(operators.configMap("redstats-endpoints").get("SPRING_DATASOURCE_URL"))
        .isEqualTo("jdbc:postgresql://" + name(pg) + "-rw:5432/" + initdb.get("database"));
    for (Container container : operators.containers()) {
      container.getEnv().stream()
          .filter(e -> e.getName().startsWith("SPRING_DATASOURCE_"))
          .forEach(
              e ->
                  assertThat(e.getValueFrom().getSecretKeyRef().getName())
                      .as("CloudNativePG's app secret")
                      .isEqualTo(name(pg) + "-app"));
    }
  }

  /** The templates an Altinity installation's defaults name are declared in it. */
  @SuppressWarnings("unchecked")
  private static void assertTemplatesExist(Map<String, Object> installation) {
    Map<String, Object> defaults = path(installation, "spec", "defaults", "templates");
    Map<String, Object> templates = path(installation, "spec", "templates");
    Set<String> pods =
        ((List<Map<String, Object>>) templates.get("podTemplates"))
            .stream().map(t -> (String) t.get("name")).collect(Collectors.toSet());
    Set<String> volumes =
        ((List<Map<String, Object>>) templates.get("volumeClaimTemplates"))
            .stream().map(t -> (String) t.get("name")).collect(Collectors.toSet());
    assertThat(pods).contains((String) defaults.get("podTemplate"));
    assertThat(volumes).contains((String) defaults.get("dataVolumeClaimTemplate"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> path(Map<String, Object> object, String... keys) {
    Map<String, Object> current = object;
    for (String key : keys) {
      Object next = current.get(key);
      assertThat(next).as("field " + key).isInstanceOf(Map.class);
      current = (Map<String, Object>) next;
    }
    return current;
  }

  private static String name(Map<String, Object> object) {
    return (String) path(object, "metadata").get("name");
  }

  private static List<String> envNames(Container container) {
    return container.getEnv().stream().map(EnvVar::getName).toList();
  }

  private static String key(Map<String, Object> raw) {
    return raw.get("apiVersion") + "/" + raw.get("kind");
  }

  /**
   * Jackson with the models' catch-all for unknown fields switched off: a misspelt or misplaced
   * field, or a string where a number belongs, fails with its path instead of being kept aside.
   */
  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() {
          private static final long serialVersionUID = 1L;

          @Override
          public Boolean hasAnySetter(Annotated annotated) {
            return Boolean.FALSE;
          }
        });
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    return mapper;
  }

  /** One rendering of the chart: the raw documents and the same read into their models. */
  private record Rendered(List<Map<String, Object>> raw, List<Object> objects) {

    @SuppressWarnings("unchecked")
    static Rendered of(String manifest) {
      List<Map<String, Object>> raw = new ArrayList<>();
      List<Object> objects = new ArrayList<>();
      LoaderOptions options = new LoaderOptions();
      // The API server refuses a document with a key twice; so does this test.
      options.setAllowDuplicateKeys(false);
      for (Object document : new Yaml(options).loadAll(manifest)) {
        if (document == null) {
          continue;
        }
        Map<String, Object> map = (Map<String, Object>) document;
        raw.add(map);
        Class<?> model = MODELS.get(key(map));
        if (model == null) {
          continue;
        }
        try {
          objects.add(STRICT.convertValue(map, model));
        } catch (IllegalArgumentException e) {
          fail(
              key(map)
                  + " "
                  + ((Map<String, Object>) map.get("metadata")).get("name")
                  + ": "
                  + e.getMessage());
        }
      }
      return new Rendered(raw, objects);
    }

    <T> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    Map<String, Object> one(String kind) {
      List<Map<String, Object>> found =
          raw.stream().filter(r -> kind.equals(r.get("kind"))).toList();
      assertThat(found).as(kind).hasSize(1);
      return found.get(0);
    }

    Map<String, String> configMap(String name) {
      return all(ConfigMap.class).stream()
          .filter(m -> m.getMetadata().getName().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no ConfigMap " + name))
          .getData();
    }

    List<PodTemplateSpec> podTemplates() {
      return Stream.concat(
              all(Deployment.class).stream().map(d -> d.getSpec().getTemplate()),
              all(StatefulSet.class).stream().map(s -> s.getSpec().getTemplate()))
          .toList();
    }

    List<Container> containers() {
      return podTemplates().stream().flatMap(p -> p.getSpec().getContainers().stream()).toList();
    }

    List<PodTemplateSpec> podsSelectedBy(Map<String, String> selector) {
      return podTemplates().stream()
          .filter(p -> p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
          .toList();
    }

    /** The Secret every service reads: the one the JWT secret comes from. */
    String secretName() {
      return containers().stream()
          .flatMap(c -> c.getEnv().stream())
          .filter(e -> e.getName().equals("REDSTATS_SECURITY_JWT_SECRET"))
          .map(e -> e.getValueFrom().getSecretKeyRef().getName())
          .findFirst()
          .orElseThrow();
    }
  }
}
