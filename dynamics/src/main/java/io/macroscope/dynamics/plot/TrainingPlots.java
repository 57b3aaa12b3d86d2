package io.macroscope.dynamics.plot;

import io.macroscope.dynamics.ae.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * PNG plots a person looks at after training: the latent trajectory coloured by time with the
 * learned force field as arrows, the latent bins (cluster centres) and the loss curves per epoch.
 * Plain Java2D, headless.
 */
public final class TrainingPlots {

  static final int W = 800;
  static final int H = 600;
  static final int MARGIN = 60;

  private TrainingPlots() {}

  /**
   * Latent points (n x 2, row-major; at most ~20k are drawn) coloured from blue (early) to red
   * (late), with {@code force(z1, z2)} drawn as arrows on a 15 x 15 grid.
   */
  public static void latent(
      Path file, float[] z, int n, BiFunction<Float, Float, float[]> force, String title)
      throws IOException {
    float[] range = range(z, n);
    float minX = range[0];
    float maxX = range[1];
    float minY = range[2];
    float maxY = range[3];
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image, title, "z1", "z2");
    Axis ax = new Axis(minX, maxX, MARGIN, W - MARGIN);
    Axis ay = new Axis(minY, maxY, H - MARGIN, MARGIN);
    int stride = Math.max(1, n / 20_000);
    for (int i = 0; i < n; i += stride) {
      float t = (float) i / Math.max(1, n - 1);
      g.setColor(new Color(t, 0.2f, 1 - t, 0.35f));
      g.fillRect(ax.px(z[2 * i]) - 1, ay.px(z[2 * i + 1]) - 1, 2, 2);
    }
    if (force != null) {
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(1.2f));
      float stepX = (maxX - minX) / 14;
      float stepY = (maxY - minY) / 14;
      double longest = 1e-9;
      float[][][] grid = new float[15][15][];
      for (int a = 0; a < 15; a++) {
        for (int b = 0; b < 15; b++) {
          grid[a][b] = force.apply(minX + a * stepX, minY + b * stepY);
          longest = Math.max(longest, Math.hypot(grid[a][b][0], grid[a][b][1]));
        }
      }
      double scale = 0.9 * Math.min(stepX, stepY) / longest;
      for (int a = 0; a < 15; a++) {
        for (int b = 0; b < 15; b++) {
          float x0 = minX + a * stepX;
          float y0 = minY + b * stepY;
          g.drawLine(
              ax.px(x0),
              ay.px(y0),
              ax.px((float) (x0 + scale * grid[a][b][0])),
              ay.px((float) (y0 + scale * grid[a][b][1])));
          g.fillOval(ax.px(x0) - 2, ay.px(y0) - 2, 4, 4);
        }
      }
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  /**
   * The latent points (n x 2, row-major) coloured by the regular-space bin they fall into, with
   * every centre marked, a circle of radius d_min / 2 around it (centres are at least d_min apart,
   * so circles never overlap) and its share of the points: the bins the well-tempered minibatches
   * were drawn from.
   */
  public static void clusters(
      Path file, float[] z, int n, double[] centres, int[] labels, int[] counts, double dMin)
      throws IOException {
    float[] range = range(z, n);
    double pad = dMin * 0.25;
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g =
        canvas(
            image,
            String.format(
                "latent bins: %d regular-space centres, d_min = %.3g", counts.length, dMin),
            "z1",
            "z2");
    Axis ax = new Axis(range[0] - pad, range[1] + pad, MARGIN, W - MARGIN);
    Axis ay = new Axis(range[2] - pad, range[3] + pad, H - MARGIN, MARGIN);
    int stride = Math.max(1, n / 20_000);
    for (int i = 0; i < n; i += stride) {
      float hue = (labels[i] * 0.618034f) % 1f;
      Color c = Color.getHSBColor(hue, 0.65f, 0.9f);
      g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
      g.fillRect(ax.px(z[2 * i]) - 1, ay.px(z[2 * i + 1]) - 1, 2, 2);
    }
    g.setStroke(new BasicStroke(1.2f));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.clipRect(MARGIN, MARGIN, W - 2 * MARGIN, H - 2 * MARGIN);
    for (int k = 0; k < counts.length; k++) {
      double cx = centres[2 * k];
      double cy = centres[2 * k + 1];
      int rx = Math.abs(ax.px(cx + dMin / 2) - ax.px(cx));
      int ry = Math.abs(ay.px(cy + dMin / 2) - ay.px(cy));
      g.setColor(Color.BLACK);
      g.fillOval(ax.px(cx) - 3, ay.px(cy) - 3, 6, 6);
      g.setColor(Color.GRAY);
      g.drawOval(ax.px(cx) - rx, ay.px(cy) - ry, 2 * rx, 2 * ry);
      g.setColor(Color.BLACK);
      g.drawString(String.format("%.1f%%", 100.0 * counts[k] / n), ax.px(cx) + 5, ay.px(cy) - 5);
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  /**
   * Two panels side by side, the true coordinates (left) and the latent (right), n x 2 each
   * (row-major; at most ~20k points drawn), every point coloured by its true position (hue from the
   * first coordinate, brightness from the second): a latent that is the truth up to rotation, shift
   * and scale shows the same picture turned and scaled; folds and tears show as colours meeting
   * where they do not in the truth.
   */
  public static void latentVsTruth(Path file, float[] z, float[] truth, int n, String title)
      throws IOException {
    float[] tr = range(truth, n);
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image, title, "truth (left), latent (right)", "");
    g.setColor(Color.WHITE);
    g.fillRect(MARGIN, MARGIN, W - 2 * MARGIN + 1, H - 2 * MARGIN + 1);
    float[][] panels = {truth, z};
    for (int p = 0; p < 2; p++) {
      float[] r = range(panels[p], n);
      double span = Math.max(Math.max(r[1] - r[0], r[3] - r[2]), 1e-12);
      int left = panelLeft(p);
      g.setColor(Color.DARK_GRAY);
      g.drawRect(left, PANEL_TOP, PANEL_SIDE, PANEL_SIDE);
      Axis ax = new Axis(r[0], r[0] + span, left + 4, left + PANEL_SIDE - 4);
      Axis ay = new Axis(r[2], r[2] + span, PANEL_TOP + PANEL_SIDE - 4, PANEL_TOP + 4);
      int stride = Math.max(1, n / 20_000);
      for (int i = 0; i < n; i += stride) {
        float hue = 0.75f * (truth[2 * i] - tr[0]) / Math.max(tr[1] - tr[0], 1e-12f);
        float value = 0.35f + 0.6f * (truth[2 * i + 1] - tr[2]) / Math.max(tr[3] - tr[2], 1e-12f);
        g.setColor(Color.getHSBColor(hue, 0.9f, value));
        g.fillRect(ax.px(panels[p][2 * i]) - 1, ay.px(panels[p][2 * i + 1]) - 1, 2, 2);
      }
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  /** Side of each square panel of {@link #latentVsTruth}. */
  static final int PANEL_SIDE = Math.min((W - 3 * MARGIN) / 2, H - 2 * MARGIN);

  /** Top edge of both panels of {@link #latentVsTruth}. */
  static final int PANEL_TOP = MARGIN + (H - 2 * MARGIN - PANEL_SIDE) / 2;

  /** Left edge of panel {@code p} (0: truth, 1: latent) of {@link #latentVsTruth}. */
  static int panelLeft(int p) {
    return MARGIN + p * (PANEL_SIDE + MARGIN);
  }

  /** {minX, maxX, minY, maxY} of n 2-D points. */
  private static float[] range(float[] z, int n) {
    float[] r = {
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY
    };
    for (int i = 0; i < n; i++) {
      r[0] = Math.min(r[0], z[2 * i]);
      r[1] = Math.max(r[1], z[2 * i]);
      r[2] = Math.min(r[2], z[2 * i + 1]);
      r[3] = Math.max(r[3], z[2 * i + 1]);
    }
    return r;
  }

  /** Training reconstruction, regulariser and prior NLL per epoch, each scaled to its range. */
  public static void losses(Path file, List<EpochStats> history) throws IOException {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g =
        canvas(image, "training losses (each curve scaled to its own range)", "epoch", "");
    curve(g, history, EpochStats::reconstruction, new Color(0x1f77b4), "reconstruction", 0);
    curve(g, history, EpochStats::slicedWasserstein, new Color(0xd62728), "sliced Wasserstein", 1);
    curve(g, history, EpochStats::priorNll, new Color(0x2ca02c), "prior NLL", 2);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static void curve(
      Graphics2D g,
      List<EpochStats> history,
      ToDoubleFunction<EpochStats> metric,
      Color color,
      String label,
      int row) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (EpochStats e : history) {
      double v = metric.applyAsDouble(e);
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!(hi >= lo)) {
      return;
    }
    Axis ax = new Axis(0, Math.max(1, history.size() - 1), MARGIN, W - MARGIN);
    Axis ay = new Axis(lo, hi > lo ? hi : lo + 1, H - MARGIN, MARGIN);
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    for (int i = 1; i < history.size(); i++) {
      g.drawLine(
          ax.px(i - 1),
          ay.px(metric.applyAsDouble(history.get(i - 1))),
          ax.px(i),
          ay.px(metric.applyAsDouble(history.get(i))));
    }
    g.drawString(
        String.format("%s  %.4g .. %.4g", label, lo, hi), MARGIN + 10, MARGIN + 20 + 18 * row);
  }

  static Graphics2D canvas(BufferedImage image, String title, String xLabel, String yLabel) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.DARK_GRAY);
    g.drawRect(MARGIN, MARGIN, W - 2 * MARGIN, H - 2 * MARGIN);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, MARGIN, MARGIN - 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(xLabel, W / 2, H - MARGIN / 3);
    g.drawString(yLabel, MARGIN / 4, H / 2);
    return g;
  }

  /** Linear map from data to pixels. */
  record Axis(double lo, double hi, int from, int to) {
    int px(double v) {
      double span = hi > lo ? hi - lo : 1;
      return (int) Math.round(from + (v - lo) / span * (to - from));
    }
  }
}
