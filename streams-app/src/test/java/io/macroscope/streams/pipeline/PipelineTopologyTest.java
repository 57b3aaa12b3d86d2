package io.macroscope.streams.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.macroscope.dynamics.bundle.BundleEncoder;
import io.macroscope.dynamics.bundle.InferenceDevice;
import io.macroscope.schemas.Alert;
import io.macroscope.schemas.AlertKind;
import io.macroscope.schemas.AlertRule;
import io.macroscope.schemas.AlertStatus;
import io.macroscope.schemas.DeadLetter;
import io.macroscope.schemas.Forecast;
import io.macroscope.schemas.Frame;
import io.macroscope.schemas.LatentState;
import io.macroscope.schemas.Topics;
import io.macroscope.schemas.serde.InMemorySchemaRegistry;
import io.macroscope.schemas.serde.SchemaRegistry;
import io.macroscope.streams.StreamsApp;
import io.macroscope.streams.StreamsSettings;
import io.macroscope.streams.TestBundles;
import io.macroscope.streams.model.ModelCatalog;
import io.macroscope.streams.model.ReleaseLoader;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline topology on the test driver, with a real (small) trained Dynamics-AE bundle. */
class PipelineTopologyTest {

  @TempDir Path dir;

  private final SchemaRegistry registry = new InMemorySchemaRegistry();
  private final ModelCatalog catalog = new ModelCatalog();
  private TopologyTestDriver driver;
  private final PipelineMetrics metrics = PipelineMetrics.inMemory();
  private TestInputTopic<byte[], byte[]> frames;
  private TestInputTopic<String, AlertRule> rules;
  private TestOutputTopic<String, LatentState> latent;
  private TestOutputTopic<String, Forecast> forecasts;
  private TestOutputTopic<String, Alert> alerts;
  private TestOutputTopic<byte[], DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    StreamsSettings settings =
        StreamsSettings.of(
            Map.of(
                "bootstrap.servers", "127.0.0.1:9",
                "schema.registry.url", "http://127.0.0.1:9",
                "state.dir", dir.toString(),
                "encode.max.batch", "4",
                "encode.max.wait.ms", "50",
                "forecast.horizon", "10",
                "forecast.ensemble", "16"));
    Properties props = StreamsApp.streamsProperties(settings);
    driver =
        new TopologyTestDriver(
            PipelineTopology.build(StreamsApp.options(settings), catalog, registry, metrics),
            props);
    frames =
        driver.createInputTopic(
            Topics.FRAMES.name(), new ByteArraySerializer(), new ByteArraySerializer());
    rules =
        driver.createInputTopic(
            Topics.ALERT_RULES.name(),
            new StringSerializer(),
            Topics.ALERT_RULES.valueSerde(registry).serializer());
    latent =
        driver.createOutputTopic(
            Topics.LATENT_STATES.name(),
            new StringDeserializer(),
            Topics.LATENT_STATES.valueSerde(registry).deserializer());
    forecasts =
        driver.createOutputTopic(
            Topics.FORECASTS.name(),
            new StringDeserializer(),
            Topics.FORECASTS.valueSerde(registry).deserializer());
    alerts =
        driver.createOutputTopic(
            Topics.ALERTS.name(),
            new StringDeserializer(),
            Topics.ALERTS.valueSerde(registry).deserializer());
    deadLetters =
        driver.createOutputTopic(
            Topics.DEAD_LETTERS.name(),
            new ByteArrayDeserializer(),
            Topics.DEAD_LETTERS.valueSerde(registry).deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    catalog.close();
  }

  private void serve(String version) {
    ReleaseLoader loader =
        new ReleaseLoader(dir.resolve("models"), BundleEncoder.Engine.ONNX, 1, InferenceDevice.CPU);
    catalog.swap(
        loader.load(TestBundles.release("microscope", version, TestBundles.dynamicsAe(), null)));
  }

  private void send(Frame frame) {
    byte[] value = Topics.FRAMES.valueSerde(registry).serializer().serialize("frames", frame);
    frames.pipeInput(frame.getSourceId().getBytes(StandardCharsets.UTF_8), value);
  }

  @Test
  void shouldEncodeInMicroBatchesInOrderAndForecastEveryState() {
    serve("v1");
    for (int i = 0; i < 10; i++) {
      send(TestBundles.frame("cam", i, TestBundles.input(i)));
    }
    // 8 went out in two full batches; 2 wait for the deadline
    assertEquals(8, latent.getQueueSize());
    driver.advanceWallClockTime(Duration.ofMillis(60));
    List<LatentState> states = latent.readValuesToList();
    assertEquals(10, states.size());
    for (int i = 0; i < 10; i++) {
      assertEquals(i, states.get(i).getSequence());
      assertEquals("v1", states.get(i).getModelVersion());
      assertEquals(2, states.get(i).getZ().size());
      assertNotNull(states.get(i).getSupportDistance());
    }
    List<Forecast> out = forecasts.readValuesToList();
    assertEquals(10, out.size());
    Forecast f = out.get(3);
    assertEquals(11, f.getSteps().size());
    assertEquals(List.of("z0", "z1"), f.getComponents());
    // step 0 is the encoded state itself: every member starts there
    assertEquals(states.get(3).getZ().get(0), f.getSteps().get(0).getMean().get(0), 1e-6);
    assertEquals(0, f.getSteps().get(0).getStd().get(0), 1e-9);
    assertTrue(f.getSteps().get(10).getStd().get(0) > 0, "the ensemble spreads");
    List<Double> q = f.getSteps().get(10).getQuantiles().get(1);
    assertTrue(q.get(0) <= q.get(1) && q.get(1) <= q.get(2), "quantiles ordered: " + q);
    assertEquals(ForecastProcessor.seed(0, "cam", 3), f.getSeed());
    // three inference calls (4 + 4 + 2), each with its wall time and its thread's CPU time
    Timer wall = metrics.registry().find("macroscope.encode.inference").timer();
    Timer cpu = metrics.registry().find("macroscope.encode.inference.cpu").timer();
    assertEquals(3, wall.count());
    assertEquals(3, cpu.count());
    double cpuSeconds = cpu.totalTime(TimeUnit.SECONDS);
    assertTrue(
        cpuSeconds > 0 && cpuSeconds <= wall.totalTime(TimeUnit.SECONDS) + 1e-3,
        "CPU time within the calls' wall time: " + cpuSeconds);
  }

  @Test
  void shouldDeadLetterBadInputWithReasonAndKeepGoodInputFlowing() {
    serve("v1");
    send(TestBundles.frame("cam", 0, TestBundles.input(0)));
    frames.pipeInput("cam".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 99, 1, 2});
    send(TestBundles.frame("cam", 1, 1f, Float.NaN));
    send(TestBundles.frame("cam", 2, 1f, 2f, 3f)); // 3 values, the model reads 2
    Frame truncated = TestBundles.frame("cam", 3, TestBundles.input(3));
    truncated.setWidth(5);
    send(truncated);
    send(TestBundles.frame("cam", 4, TestBundles.input(4)));
    driver.advanceWallClockTime(Duration.ofMillis(60));

    List<LatentState> states = latent.readValuesToList();
    assertEquals(List.of(0L, 4L), states.stream().map(LatentState::getSequence).toList());
    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(4, letters.size(), letters.toString());
    assertEquals(DeadLetters.VALIDATE, letters.get(0).getStage());
    assertTrue(letters.get(0).getReason().contains("deserialize"), letters.get(0).getReason());
    assertTrue(letters.get(1).getReason().contains("NaN"), letters.get(1).getReason());
    assertTrue(letters.get(2).getReason().contains("bytes"), letters.get(2).getReason());
    assertEquals(DeadLetters.ENCODE, letters.get(3).getStage());
    assertTrue(letters.get(3).getReason().contains("expects"), letters.get(3).getReason());
    // the original bytes and position are kept
    assertEquals(1, letters.get(0).getSourceOffset());
    assertEquals(7, letters.get(0).getOriginalValue().remaining());
    assertEquals("frames", letters.get(0).getSourceTopic());
  }

  @Test
  void shouldHoldInputsUntilAModelArrivesThenEncodeThemAll() {
    // 20 inputs: the first 16 (4 x the batch of 4) are kept decoded while they wait, the last 4
    // are decoded again at the flush; they repeat the pixels of the first 4
    for (int i = 0; i < 20; i++) {
      send(TestBundles.frame("cam", i, TestBundles.input(i % 16)));
    }
    driver.advanceWallClockTime(Duration.ofMillis(200));
    assertTrue(latent.isEmpty(), "no model, nothing encoded");
    assertTrue(deadLetters.isEmpty(), "and nothing lost");
    serve("v1");
    driver.advanceWallClockTime(Duration.ofMillis(60));
    List<LatentState> states = latent.readValuesToList();
    assertEquals(20, states.size());
    for (int i = 0; i < 20; i++) {
      assertEquals(i, states.get(i).getSequence());
    }
    for (int i = 16; i < 20; i++) {
      assertEquals(states.get(i - 16).getZ(), states.get(i).getZ(), "input " + i);
    }
  }

  @Test
  void shouldSwitchModelVersionBetweenBatchesWithoutGap() {
    serve("v1");
    for (int i = 0; i < 4; i++) {
      send(TestBundles.frame("cam", i, TestBundles.input(i)));
    }
    serve("v2");
    for (int i = 4; i < 8; i++) {
      send(TestBundles.frame("cam", i, TestBundles.input(i)));
    }
    List<LatentState> states = latent.readValuesToList();
    assertEquals(8, states.size());
    assertEquals("v1", states.get(3).getModelVersion());
    assertEquals("v2", states.get(4).getModelVersion());
    assertEquals("v2", forecasts.readValuesToList().get(7).getModelVersion());
  }

  @Test
  void shouldFireOnceWhileConditionHoldsAndResolveOnceWhenRuleChanges() {
    serve("v1");
    // P(z0 > -1e9 within 5 steps) = 1: fires on the first state, stays firing
    rules.pipeInput("always", threshold("always", -1e9, false));
    for (int i = 0; i < 4; i++) {
      send(TestBundles.frame("cam", i, TestBundles.input(i)));
    }
    List<Alert> fired = alerts.readValuesToList();
    assertEquals(1, fired.size(), fired.toString());
    assertEquals(AlertStatus.FIRING, fired.get(0).getStatus());
    assertEquals(1.0, fired.get(0).getProbability());
    assertEquals(0.0, fired.get(0).getLeadTime());
    assertEquals("v1", fired.get(0).getModelVersion());
    // edited at run time to a threshold no state reaches: resolves once at the next state
    rules.pipeInput("always", threshold("always", 1e9, false));
    for (int i = 4; i < 8; i++) {
      send(TestBundles.frame("cam", i, TestBundles.input(i)));
    }
    List<Alert> resolved = alerts.readValuesToList();
    assertEquals(1, resolved.size(), resolved.toString());
    assertEquals(AlertStatus.RESOLVED, resolved.get(0).getStatus());
    assertEquals(fired.get(0).getAlertId(), resolved.get(0).getAlertId());
    assertEquals(4, resolved.get(0).getSequence());
  }

  @Test
  void shouldResolveOpenEpisodeWhenItsRuleIsDeleted() {
    serve("v1");
    rules.pipeInput("always", threshold("always", -1e9, false));
    for (int i = 0; i < 4; i++) {
      send(TestBundles.frame("cam", i, TestBundles.input(i)));
    }
    assertEquals(1, alerts.readValuesToList().size());
    rules.pipeInput("always", (AlertRule) null);
    for (int i = 4; i < 8; i++) {
      send(TestBundles.frame("cam", i, TestBundles.input(i)));
    }
    List<Alert> after = alerts.readValuesToList();
    assertEquals(1, after.size(), after.toString());
    assertEquals(AlertStatus.RESOLVED, after.get(0).getStatus());
    assertEquals("rule deleted", after.get(0).getMessage());
  }

  @Test
  void shouldEncodeSnapshotsWithAClosureModelAndForecastItsMacro() {
    ReleaseLoader loader =
        new ReleaseLoader(dir.resolve("models"), BundleEncoder.Engine.ONNX, 1, InferenceDevice.CPU);
    io.macroscope.schemas.ModelRelease release =
        TestBundles.release("particles", "c1", TestBundles.closure(), null);
    release.setMethod(io.macroscope.schemas.ModelMethod.CLOSURE);
    catalog.swap(loader.load(release));
    TestInputTopic<byte[], byte[]> snapshots =
        driver.createInputTopic(
            Topics.SNAPSHOTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
    var serializer = Topics.SNAPSHOTS.valueSerde(registry).serializer();
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < 6; i++) {
      float[] p = new float[2 * (10 + i)]; // the set size changes from snapshot to snapshot
      for (int k = 0; k < p.length; k++) {
        p[k] = (float) random.nextGaussian();
      }
      snapshots.pipeInput(
          "sim".getBytes(StandardCharsets.UTF_8),
          serializer.serialize("snapshots", TestBundles.snapshot("sim", i, p, -0.05 * i)));
    }
    snapshots.pipeInput(
        "sim".getBytes(StandardCharsets.UTF_8),
        serializer.serialize(
            "snapshots", TestBundles.snapshot("sim", 6, new float[] {0, Float.NaN}, -0.1)));
    snapshots.pipeInput(
        "sim".getBytes(StandardCharsets.UTF_8),
        serializer.serialize(
            "snapshots", TestBundles.snapshot("sim", 7, new float[] {0, 1, 2, 3}, null)));
    driver.advanceWallClockTime(Duration.ofMillis(60));

    List<LatentState> states = latent.readValuesToList();
    assertEquals(
        List.of(0L, 1L, 2L, 3L, 4L, 5L), states.stream().map(LatentState::getSequence).toList());
    assertEquals(io.macroscope.schemas.ModelMethod.CLOSURE, states.get(0).getMethod());
    assertEquals(-0.1, states.get(2).getMacro().get("energy"), 1e-12);
    List<Forecast> out = forecasts.readValuesToList();
    assertEquals(6, out.size());
    assertEquals(List.of("z0", "z1", "energy"), out.get(3).getComponents());
    // step 0 is the state itself: the measured energy, exactly, in every member
    assertEquals(-0.15, out.get(3).getSteps().get(0).getMean().get(2), 1e-9);
    assertTrue(out.get(3).getSteps().get(10).getStd().get(2) > 0, "an SDE ensemble spreads");
    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(2, letters.size(), letters.toString());
    assertTrue(letters.get(0).getReason().contains("NaN"), letters.get(0).getReason());
    assertEquals(DeadLetters.ENCODE, letters.get(1).getStage());
    assertTrue(
        letters.get(1).getReason().contains("lacks macro 'energy'"), letters.get(1).getReason());
  }

  static AlertRule threshold(String id, double threshold, boolean below) {
    return AlertRule.newBuilder()
        .setRuleId(id)
        .setKind(AlertKind.THRESHOLD)
        .setComponent("z0")
        .setThreshold(threshold)
        .setBelow(below)
        .setHorizonSteps(5)
        .setMinProbability(0.9)
        .build();
  }
}
