package io.macroscope.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.macroscope.schemas.config.AppSettings;
import io.macroscope.streams.StreamsSettings;
import io.macroscope.trainer.TrainerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the compose stack against the code, without Docker: every image it builds has a Dockerfile
 * with that stage, every MACROSCOPE_* variable it sets is a key of the app the service runs, the
 * Connect worker's variables are read by its start script, and published ports bind to the loopback
 * interface only.
 */
class ComposeFileTest {

  private static final Path DOCKER = Path.of("").toAbsolutePath();
  private static JsonNode services;

  @BeforeAll
  static void parse() throws Exception {
    JsonNode compose =
        new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("compose.yml").toFile());
    services = compose.get("services");
    assertTrue(services != null && services.size() >= 6, "services: " + services);
  }

  @Test
  void shouldHaveTheServicesTheDesignNames() {
    for (String name :
        List.of("kafka", "schema-registry", "connect", "streams-app", "trainer", "demo-feed")) {
      assertTrue(services.has(name), "service " + name);
    }
    assertTrue(services.get("kafka").get("image").asText().startsWith("apache/kafka:"));
  }

  @Test
  void shouldBuildEveryImageFromAnExistingDockerfileStage() throws Exception {
    int built = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> service = it.next();
      JsonNode build = service.getValue().get("build");
      if (build == null) {
        continue;
      }
      Path context = DOCKER.resolve(build.get("context").asText()).normalize();
      Path dockerfile = context.resolve(build.get("dockerfile").asText());
      assertTrue(Files.isRegularFile(dockerfile), service.getKey() + ": no " + dockerfile);
      String target = build.get("target").asText();
      String text = Files.readString(dockerfile);
      assertTrue(
          text.lines()
              .anyMatch(
                  l -> l.matches("FROM \\S+ AS " + java.util.regex.Pattern.quote(target) + "\\s*")),
          service.getKey() + ": " + dockerfile + " has no stage " + target);
      built++;
    }
    assertEquals(4, built, "connect, streams-app, trainer and demo-feed are built here");
    assertTrue(Files.isRegularFile(DOCKER.resolve("Dockerfile.gpu")), "the GPU variant");
  }

  @Test
  void shouldOnlySetEnvironmentVariablesThatTheTargetAppUnderstands() {
    Map<String, List<AppSettings.Key>> keysByTarget = new HashMap<>();
    keysByTarget.put("streams-app", StreamsSettings.KEYS);
    keysByTarget.put("trainer", TrainerSettings.KEYS);
    List<String> checked = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> service = it.next();
      JsonNode build = service.getValue().get("build");
      JsonNode env = service.getValue().get("environment");
      if (build == null || env == null || !keysByTarget.containsKey(build.get("target").asText())) {
        continue;
      }
      List<AppSettings.Key> keys = keysByTarget.get(build.get("target").asText());
      for (Iterator<String> names = env.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        assertTrue(name.startsWith(AppSettings.ENV_PREFIX), service.getKey() + ": " + name);
        String key = AppSettings.keyOfEnv(name);
        boolean known =
            keys.stream().anyMatch(k -> k.name().equals(key))
                || key.startsWith("kafka.")
                || key.startsWith("schema.registry.");
        assertTrue(
            known, service.getKey() + " sets " + name + " = " + key + ", which it does not read");
        checked.add(service.getKey() + ":" + name);
      }
    }
    assertTrue(checked.size() >= 15, "checked " + checked);
  }

  @Test
  void shouldPassTheConnectWorkersVariablesToItsStartScript() throws Exception {
    String script = Files.readString(DOCKER.resolve("connect.sh"));
    for (Iterator<String> names = services.get("connect").get("environment").fieldNames();
        names.hasNext(); ) {
      String name = names.next();
      assertTrue(script.contains(name), "connect.sh does not read " + name);
    }
  }

  @Test
  void shouldPublishPortsOnLoopbackOnly() {
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> service = it.next();
      JsonNode ports = service.getValue().get("ports");
      if (ports == null) {
        continue;
      }
      for (JsonNode port : ports) {
        assertTrue(
            port.asText().startsWith("127.0.0.1:"),
            service.getKey() + " publishes " + port.asText());
      }
    }
  }
}
