package io.macroscope.dynamics.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** PNG of a macro forecast: the 5-95 % band, the ensemble mean, and the truth where known. */
public final class ForecastPlots {

  private ForecastPlots() {}

  /**
   * @param truth true values per step (may be shorter than the forecast, or null)
   */
  public static void band(
      Path file, String name, double[] mean, double[] q05, double[] q95, double[] truth)
      throws IOException {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] series : new double[][] {q05, q95, truth == null ? new double[0] : truth}) {
      for (double v : series) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    BufferedImage image =
        new BufferedImage(TrainingPlots.W, TrainingPlots.H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g =
        TrainingPlots.canvas(
            image, name + ": forecast mean (blue), 5-95 % band, truth (black)", "step", name);
    int m = TrainingPlots.MARGIN;
    TrainingPlots.Axis ax =
        new TrainingPlots.Axis(0, Math.max(1, mean.length - 1), m, TrainingPlots.W - m);
    TrainingPlots.Axis ay =
        new TrainingPlots.Axis(lo, hi > lo ? hi : lo + 1, TrainingPlots.H - m, m);
    Polygon band = new Polygon();
    for (int t = 0; t < q95.length; t++) {
      band.addPoint(ax.px(t), ay.px(q95[t]));
    }
    for (int t = q05.length - 1; t >= 0; t--) {
      band.addPoint(ax.px(t), ay.px(q05[t]));
    }
    g.setColor(new Color(31, 119, 180, 70));
    g.fillPolygon(band);
    g.setStroke(new BasicStroke(2f));
    line(g, ax, ay, mean, new Color(31, 119, 180));
    if (truth != null) {
      line(g, ax, ay, truth, Color.BLACK);
    }
    g.drawString(String.format("%.4g .. %.4g", lo, hi), m + 10, m + 20);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static void line(
      Graphics2D g, TrainingPlots.Axis ax, TrainingPlots.Axis ay, double[] v, Color color) {
    g.setColor(color);
    for (int t = 1; t < v.length; t++) {
      g.drawLine(ax.px(t - 1), ay.px(v[t - 1]), ax.px(t), ay.px(v[t]));
    }
  }
}
