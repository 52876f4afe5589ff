package io.redstats.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine), so its structure is checked instead: it
 * parses, runs the whole stack, and every service it builds names a module and Dockerfile that
 * exist.
 */
class DockerComposeFileTest {

  private static final Path ROOT = Path.of(System.getProperty("redstats.root", ".."));

  @SuppressWarnings("unchecked")
  private static Map<String, Object> services() throws Exception {
    try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml().load(reader);
      return (Map<String, Object>) compose.get("services");
    }
  }

  @Test
  void composeFileRunsTheWholeStack() throws Exception {
    assertThat(services())
        .containsOnlyKeys(
            "kafka",
            "clickhouse",
            "postgres",
            "nginx",
            "ingest",
            "api",
            "notifier-1",
            "notifier-2",
            "red");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyBuiltServiceNamesAModuleAndDockerfileThatExist() throws Exception {
    for (Map.Entry<String, Object> service : services().entrySet()) {
      Map<String, Object> definition = (Map<String, Object>) service.getValue();
      if (!definition.containsKey("build")) {
        assertThat(definition).as(service.getKey()).containsKey("image");
        continue;
      }
      Map<String, Object> build = (Map<String, Object>) definition.get("build");
      String module = (String) ((Map<String, Object>) build.get("args")).get("MODULE");
      assertThat(ROOT.resolve(module).resolve("pom.xml")).as(service.getKey()).exists();
      assertThat(ROOT.resolve((String) build.get("dockerfile"))).exists();
      Map<String, Object> env = (Map<String, Object>) definition.get("environment");
      assertThat(env)
          .as(service.getKey())
          .containsKeys("SERVER_PORT", "REDSTATS_SECURITY_JWT_SECRET");
    }
  }

  @Test
  void nginxConfigurationUpgradesWebSockets() throws Exception {
    String conf = Files.readString(ROOT.resolve("deploy/docker/nginx.conf"));
    assertThat(conf).contains("proxy_set_header Upgrade $http_upgrade").contains("notifier-2:8091");
  }
}
