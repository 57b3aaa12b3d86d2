package io.macroscope.dynamics.closure;

import io.macroscope.dynamics.particles.ParticleFrame;
import io.macroscope.dynamics.sim.BinaryLennardJones;
import io.macroscope.dynamics.sim.StepForceParticles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Benchmark (not a test): the closure model against the four baselines on one simulated system,
 * each trained on the same trajectories and evaluated on three test sets — in-distribution,
 * different initialisation and different particle count — by rollout MRE (ODE, step-force
 * particles) or MMD (SDE, Lennard-Jones mixing), with training time and peak memory; {@code analog}
 * adds a yardstick that learns nothing (see {@link #analog}). Run it with {@code bench/closure.sh
 * SYSTEM [trajectories] [particles] [frames] [ae-epochs] [dyn-epochs]} ({@code CLOSURE_SIGMA},
 * {@code CLOSURE_LATENT}, {@code CLOSURE_UNROLL}, {@code CLOSURE_SEED}, {@code CLOSURE_ENCODER},
 * {@code CLOSURE_NOISE}, {@code CLOSURE_SDE_STEPS}, {@code CLOSURE_RESTARTS}, {@code
 * CLOSURE_AVERAGE}, {@code CLOSURE_JOINT_EPOCHS}, {@code CLOSURE_JOINT_WEIGHT} override the
 * defaults, {@code CLOSURE_CENTER=1} centres every microstate for all methods, {@code
 * CLOSURE_ALIGN=1} also turns it onto its principal axes, {@code CLOSURE_VERBOSE=1} prints every
 * epoch's losses, {@code
 * CLOSURE_DYN_SWEEP="noise=0.2,unroll=20;epochs=300;seed=7;restarts=4,average=1"} adds a row per
 * listed dynamics setting, refitted on the same autoencoder, where {@code seed} reseeds the
 * dynamics stage alone; the seed is the training seed, the data stay the same).
 */
public final class ClosureBenchmark {

  private ClosureBenchmark() {}

  public static void main(String[] args) throws IOException {
    String system = args.length > 0 ? args[0] : "particles";
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    int frames = args.length > 3 ? Integer.parseInt(args[3]) : 101;
    int aeEpochs = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    int dynEpochs = args.length > 5 ? Integer.parseInt(args[5]) : 100;
    String methods = args.length > 6 ? args[6] : "closure,ae-aug,ae-inve,ae-inve-cd,inve,analog";
    boolean verbose = env("CLOSURE_VERBOSE", 0) > 0;
    boolean particles = system.equals("particles");
    String macro = particles ? StepForceParticles.ENERGY : BinaryLennardJones.MIXING;
    Map<String, List<List<ParticleFrame>>> sets = new java.util.LinkedHashMap<>();
    long start = System.nanoTime();
    if (particles) {
      StepForceParticles sim = new StepForceParticles(10, 0.5, 0.03, 1);
      sets.put("train", generate(count, i -> sim.simulate(n, frames, 2, i)));
      sets.put("in-dst", generate(20, i -> sim.simulate(n, frames, 2, 100_000 + i)));
      sets.put("diff-init", generate(20, i -> sim.simulate(n, frames, 3, 200_000 + i)));
      sets.put("diff-N", generate(20, i -> sim.simulate(2 * n, frames, 2, 300_000 + i)));
    } else {
      BinaryLennardJones sim = BinaryLennardJones.defaults();
      BinaryLennardJones shorter =
          new BinaryLennardJones(10, 6, 0.6, 1.5, 1e-3, sim.stride(), sim.neighbourCutoff());
      sets.put("train", generate(count, i -> sim.simulate(frames, 0.3 + 0.4 * u(i), i)));
      sets.put(
          "in-dst",
          generate(20, i -> sim.simulate(frames, 0.3 + 0.4 * u(i + 100_000), i + 100_000)));
      sets.put(
          "diff-init",
          generate(
              20,
              i ->
                  sim.simulate(
                      frames, (i % 2 == 0 ? 0.1 : 0.7) + 0.2 * u(i + 200_000), i + 200_000)));
      sets.put(
          "diff-N",
          generate(20, i -> shorter.simulate(frames, 0.3 + 0.4 * u(i + 300_000), i + 300_000)));
    }
    System.out.printf(
        "%s: %d training trajectories of %d frames, %d particles; simulated in %.1f s%n",
        system,
        count,
        frames,
        sets.get("train").get(0).get(0).n(),
        (System.nanoTime() - start) / 1e9);
    System.out.printf(
        "%-11s %12s %12s %12s %10s%n", "method", "in-dst", "diff-init", "diff-N", "train s");
    for (String label : methods.split(",")) {
      if (label.equals("analog")) {
        printRow(label, analog(sets.get("train"), macro), sets, macro, particles, "-");
        continue;
      }
      ClosureMethod method = ClosureMethod.of(label);
      ClosureConfig config =
          ClosureConfig.builder()
              .optMethod(method)
              .optStochastic(!particles)
              .optAutoencoderEpochs(aeEpochs)
              .optDynamicsEpochs(dynEpochs)
              .optSigma(env("CLOSURE_SIGMA", particles ? 0.1 : 0.3))
              .optSamplesPerSet(
                  (int) env("CLOSURE_SAMPLES", ClosureConfig.builder().build().samplesPerSet()))
              .optLatentDim((int) env("CLOSURE_LATENT", 4))
              .optEncoder(
                  ClosureConfig.Encoder.of(
                      System.getenv().getOrDefault("CLOSURE_ENCODER", "deepset")))
              .optUnroll((int) env("CLOSURE_UNROLL", 10))
              .optDynamicsNoise(
                  env("CLOSURE_NOISE", ClosureConfig.builder().build().dynamicsNoise()))
              .optSdeSteps((int) env("CLOSURE_SDE_STEPS", 3))
              .optDynamicsRestarts((int) env("CLOSURE_RESTARTS", 1))
              .optDynamicsAverage(env("CLOSURE_AVERAGE", 0) > 0)
              .optSeed((long) env("CLOSURE_SEED", 1))
              .optCenter(env("CLOSURE_CENTER", 0) > 0)
              .optAlign(env("CLOSURE_ALIGN", 0) > 0)
              .optJointEpochs((int) env("CLOSURE_JOINT_EPOCHS", 0))
              .optJointWeight(
                  env("CLOSURE_JOINT_WEIGHT", ClosureConfig.builder().build().jointWeight()))
              .build();
      long t0 = System.nanoTime();
      try (TrainedClosure model =
          new ClosureTrainer(config, verbose ? ClosureBenchmark::printEpoch : e -> {})
              .fit(sets.get("train"), List.of(macro), List.of())) {
        String seconds = String.format("%.1f", (System.nanoTime() - t0) / 1e9);
        printRow(label, model::rollout, sets, macro, particles, seconds);
        // CLOSURE_DYN_SWEEP="noise=0.2,unroll=20;epochs=300;seed=7": more dynamics stages on this
        // encoder
        for (String variant : System.getenv().getOrDefault("CLOSURE_DYN_SWEEP", "").split(";")) {
          if (variant.isBlank()) {
            continue;
          }
          ClosureConfig.Builder b = config.toBuilder();
          long dynamicsSeed = config.seed();
          for (String kv : variant.split(",")) {
            String[] p = kv.split("=");
            double v = Double.parseDouble(p[1]);
            switch (p[0].trim()) {
              case "noise" -> b.optDynamicsNoise(v);
              case "unroll" -> b.optUnroll((int) v);
              case "epochs" -> b.optDynamicsEpochs((int) v);
              case "hidden" -> b.optDynamicsHidden((int) v);
              case "sde-steps" -> b.optSdeSteps((int) v);
              case "restarts" -> b.optDynamicsRestarts((int) v);
              case "average" -> b.optDynamicsAverage(v > 0);
              case "seed" -> dynamicsSeed = (long) v; // the dynamics stage's own draws only
              default -> throw new IllegalArgumentException("unknown sweep key " + p[0]);
            }
          }
          long t1 = System.nanoTime();
          try (TrainedClosure refit =
              new ClosureTrainer(b.build(), verbose ? ClosureBenchmark::printEpoch : e -> {})
                  .refitDynamics(
                      model, sets.get("train"), List.of(macro), List.of(), dynamicsSeed)) {
            printRow(
                "  " + variant,
                refit::rollout,
                sets,
                macro,
                particles,
                String.format("%.1f", (System.nanoTime() - t1) / 1e9));
          }
        }
      }
    }
    System.out.printf("peak resident memory: %s%n", peakRss());
  }

  private static void printEpoch(ClosureEpoch e) {
    System.out.printf(
        "  %s epoch %d: train %.8f, valid %.8f (%.1f s)%s%n",
        e.stage(), e.epoch(), e.loss(), e.validationLoss(), e.seconds(), e.skipNote());
  }

  /** One table row: the forecast's score on each of the three test sets, and the training time. */
  private static void printRow(
      String label,
      ClosureMetrics.Forecast forecast,
      Map<String, List<List<ParticleFrame>>> sets,
      String macro,
      boolean deterministic,
      String seconds) {
    List<String> cells = new ArrayList<>();
    for (String test : List.of("in-dst", "diff-init", "diff-N")) {
      cells.add(score(forecast, sets.get(test), macro, deterministic));
    }
    System.out.printf(
        "%-11s %12s %12s %12s %10s%n", label, cells.get(0), cells.get(1), cells.get(2), seconds);
  }

  /**
   * A yardstick that learns nothing: the macro paths of the training trajectories whose initial
   * macro value is nearest to the test start, each shifted to start at it (one member per
   * trajectory, nearest first).
   */
  private static ClosureMetrics.Forecast analog(List<List<ParticleFrame>> train, String macro) {
    return (initial, horizon, members, seed) -> {
      double m0 = initial.macro(macro);
      List<List<ParticleFrame>> nearest =
          train.stream()
              .filter(t -> t.size() > horizon)
              .sorted(
                  java.util.Comparator.comparingDouble(t -> Math.abs(t.get(0).macro(macro) - m0)))
              .limit(members)
              .toList();
      if (nearest.size() < members) {
        throw new IllegalArgumentException("fewer training trajectories than members");
      }
      double[][][] out = new double[nearest.size()][horizon + 1][1];
      for (int k = 0; k < nearest.size(); k++) {
        List<ParticleFrame> t = nearest.get(k);
        for (int s = 0; s <= horizon; s++) {
          out[k][s][0] = t.get(s).macro(macro) - t.get(0).macro(macro) + m0;
        }
      }
      return out;
    };
  }

  /** A numeric override from the environment (sweeps without recompiling). */
  private static double env(String name, double fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : Double.parseDouble(v);
  }

  private static double u(long i) {
    return new java.util.Random(i ^ 0x9e3779b97f4a7c15L).nextDouble();
  }

  private static List<List<ParticleFrame>> generate(int count, IntFunction<List<ParticleFrame>> f) {
    return java.util.stream.IntStream.range(0, count).parallel().mapToObj(f).toList();
  }

  /** MRE (ODE) or MMD with a 16-member ensemble (SDE) of rollouts from the first frames. */
  private static String score(
      ClosureMetrics.Forecast forecast,
      List<List<ParticleFrame>> tests,
      String macro,
      boolean deterministic) {
    ClosureMetrics.Scores scores;
    try {
      scores = ClosureMetrics.evaluate(tests, List.of(macro), deterministic ? 1 : 16, 0, forecast);
    } catch (IllegalArgumentException unusable) {
      // a fixed-size baseline on another particle count, or too few analog trajectories
      return "n/a";
    }
    return deterministic
        ? String.format("%.4f", scores.mre())
        : String.format("%.5f", scores.mmd());
  }

  private static String peakRss() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmHWM"))
        .map(l -> l.replaceAll("\\s+", " ").substring(6).trim())
        .findFirst()
        .orElse("unknown");
  }
}
