package io.macroscope.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrainerSettingsTest {

  private static Map<String, String> base() {
    Map<String, String> m = new HashMap<>();
    m.put("bootstrap.servers", "b:1");
    m.put("schema.registry.url", "http://r");
    return m;
  }

  @Test
  void shouldTakeDefaultsAndEnvironment() {
    TrainerSettings s =
        TrainerSettings.load(
            null,
            Map.of(
                "MACROSCOPE_BOOTSTRAP_SERVERS", "k:9092",
                "MACROSCOPE_SCHEMA_REGISTRY_URL", "http://r",
                "MACROSCOPE_TRAINER_INTERVAL_S", "60",
                "MACROSCOPE_ENCODE_MAX_BATCH", "8"), // the streams-app's key: not the trainer's
            Map.of());
    assertEquals(60, s.integer("trainer.interval.s"));
    assertEquals("microscope", s.get("trainer.model"));
    assertEquals(0.2, s.doubleValue("trainer.holdout.fraction"));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("trainer.holdout.fraction", "0.95"),
        Arguments.of("trainer.holdout.fraction", "0"),
        Arguments.of("trainer.window.frames", "0"),
        Arguments.of("trainer.interval.s", "-1"),
        Arguments.of("trainer.source", "("),
        Arguments.of("trainer.margin", "lots"),
        Arguments.of("trainer.epochs", "0"),
        Arguments.of("trainer.method", "vae"),
        Arguments.of("trainer.stochastic", "yes"),
        Arguments.of("trainer.encoder", "pointnet"),
        Arguments.of("trainer.center", "yes"),
        Arguments.of("trainer.align", "1"),
        Arguments.of("trainer.dynamics.epochs", "0"),
        Arguments.of("trainer.dynamics.restarts", "0"),
        Arguments.of("trainer.dynamics.average", "yes"),
        Arguments.of("trainer.ensemble", "-2"),
        Arguments.of("trainer.windows.frames", "10"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalid")
  void shouldRefuseInvalidSettingNamingIt(String key, String value) {
    Map<String, String> m = base();
    m.put(key, value);
    ConfigException e = assertThrows(ConfigException.class, () -> TrainerSettings.of(m));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void shouldRefuseToAverageASingleDynamicsFit() {
    Map<String, String> m = base();
    m.put("trainer.dynamics.average", "true");
    ConfigException e = assertThrows(ConfigException.class, () -> TrainerSettings.of(m));
    assertTrue(e.getMessage().contains("trainer.dynamics.restarts"), e.getMessage());
    m.put("trainer.dynamics.restarts", "3");
    assertEquals("3", TrainerSettings.of(m).get("trainer.dynamics.restarts"));
  }

  @Test
  void shouldReadListsOfMacrosAndSpecies() {
    Map<String, String> m = base();
    m.put("trainer.method", "closure");
    m.put("trainer.macros", " energy, mixing ,,");
    TrainerSettings s = TrainerSettings.of(m);
    assertEquals(List.of("energy", "mixing"), s.list("trainer.macros"));
    assertEquals(List.of(), s.list("trainer.species"));
  }

  @Test
  void shouldStoreBundlesAtomicallyUnderNameAndVersion(@TempDir Path dir) throws Exception {
    ModelStore store = ModelStore.local(dir);
    var uri = store.put("microscope", "r1", new byte[] {1, 2, 3});
    Path file = Path.of(uri);
    assertEquals(dir.resolve("microscope/r1.zip").toAbsolutePath(), file);
    assertEquals(3, Files.size(file));
    try (Stream<Path> left = Files.list(dir.resolve("microscope"))) {
      assertEquals(List.of(file), left.toList(), "no partial files left behind");
    }
  }
}
