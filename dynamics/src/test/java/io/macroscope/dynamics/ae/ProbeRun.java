package io.macroscope.dynamics.ae;

import io.macroscope.dynamics.metrics.LatentError;
import io.macroscope.dynamics.sim.ThreeWellTrajectory;
import io.macroscope.dynamics.sim.Warp;

public class ProbeRun {
  public static void main(String[] args) {
    int frames = Integer.parseInt(args[0]);
    int epochs = Integer.parseInt(args[1]);
    double kT = Double.parseDouble(args[2]);
    int stride = Integer.parseInt(args[3]);
    ThreeWellTrajectory t =
        ThreeWellTrajectory.simulate(frames, kT, 1e-3, stride, Warp.PARABOLIC, 11);
    float[] in = new float[t.observed().length];
    for (int i = 0; i < in.length; i++) in[i] = (float) t.observed()[i];
    double[] obs = t.observed();
    System.out.println("warped input error " + LatentError.compute(obs, t.truth(), frames, 2));
    DynamicsAeConfig cfg = DynamicsAeConfig.reference(2).withEpochs(epochs);
    long s = System.nanoTime();
    try (TrainedAutoencoder m =
        new DynamicsAeTrainer(
                cfg,
                e -> {
                  System.out.println(e);
                  try {
                    System.out.println(
                        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))
                            .stream()
                            .filter(l -> l.startsWith("VmRSS"))
                            .findFirst()
                            .get());
                  } catch (Exception x) {
                  }
                })
            .fit(in, frames, 2)) {
      float[] z = m.encode(in, frames);
      double[] zd = new double[z.length];
      for (int i = 0; i < z.length; i++) zd[i] = z[i];
      System.out.println("latent error " + LatentError.compute(zd, t.truth(), frames, 2));
    }
    System.out.printf("total %.1f s%n", (System.nanoTime() - s) / 1e9);
  }
}
