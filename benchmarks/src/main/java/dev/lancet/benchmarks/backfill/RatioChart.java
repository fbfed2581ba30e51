package dev.lancet.benchmarks.backfill;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A grouped bar chart (PNG) of each contender's median time over the lower bound's, per workload,
 * on a log scale (the slowest contenders are tens of times slower). Drawn with Java2D, headless, so
 * the benchmark needs nothing else.
 */
final class RatioChart {
  private static final Color[] PALETTE = {
    new Color(0x4D4D4D), new Color(0x1F77B4), new Color(0x6BAED6), new Color(0x9ECAE1),
        new Color(0x08519C),
    new Color(0xD62728), new Color(0xFF9896), new Color(0xFF7F0E), new Color(0x2CA02C),
        new Color(0x98DF8A)
  };

  private RatioChart() {}

  static void draw(
      Path file,
      List<Workload> workloads,
      List<String> contenders,
      Map<String, BenchReport.Summary> summaries,
      String title)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    int width = 1200;
    int height = 620;
    int left = 80;
    int right = 250;
    int top = 60;
    int bottom = 70;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, left, 30);

    double max = 2;
    for (BenchReport.Summary s : summaries.values()) {
      if (s.vsLowerBound() != null) {
        max = Math.max(max, s.vsLowerBound());
      }
    }
    double lo = Math.log10(0.5);
    double hi = Math.log10(Math.pow(10, Math.ceil(Math.log10(max * 1.1))));
    int plotH = height - top - bottom;
    int plotW = width - left - right;
    java.util.function.DoubleToIntFunction y =
        v -> top + (int) Math.round(plotH * (hi - Math.log10(v)) / (hi - lo));

    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double tick : new double[] {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}) {
      if (Math.log10(tick) > hi + 1e-9) {
        break;
      }
      int ty = y.applyAsInt(tick);
      g.setColor(tick == 1 ? Color.BLACK : new Color(0xDDDDDD));
      g.setStroke(new BasicStroke(tick == 1 ? 1.5f : 1f));
      g.drawLine(left, ty, left + plotW, ty);
      g.setColor(Color.DARK_GRAY);
      g.drawString(
          String.format(Locale.ROOT, tick < 1 ? "%.1fx" : "%.0fx", tick), left - 45, ty + 4);
    }

    int groupW = plotW / Math.max(1, workloads.size());
    for (int wi = 0; wi < workloads.size(); wi++) {
      Workload w = workloads.get(wi);
      List<String> present = BenchReport.present(summaries, w.name(), contenders);
      int gx = left + wi * groupW;
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString(w.name(), gx + groupW / 2 - 25, height - bottom + 25);
      if (present.isEmpty()) {
        continue;
      }
      int barW = Math.max(4, (groupW - 30) / present.size());
      for (int ci = 0; ci < present.size(); ci++) {
        BenchReport.Summary s = BenchReport.get(summaries, w.name(), present.get(ci));
        if (s.vsLowerBound() == null) {
          continue;
        }
        int x = gx + 15 + ci * barW;
        int yTop = y.applyAsInt(s.vsLowerBound());
        int yBase = y.applyAsInt(0.5);
        g.setColor(PALETTE[contenders.indexOf(present.get(ci)) % PALETTE.length]);
        g.fillRect(x, Math.min(yTop, yBase), barW - 3, Math.abs(yBase - yTop));
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.drawString(String.format(Locale.ROOT, "%.1f", s.vsLowerBound()), x, yTop - 3);
      }
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int ci = 0; ci < contenders.size(); ci++) {
      int ly = top + 10 + ci * 22;
      g.setColor(PALETTE[ci % PALETTE.length]);
      g.fillRect(width - right + 20, ly - 10, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(contenders.get(ci), width - right + 40, ly + 2);
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }
}
