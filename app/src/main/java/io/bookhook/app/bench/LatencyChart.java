package io.bookhook.app.bench;

import io.bookhook.app.bench.RunAnalysis.Second;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency-over-time chart: p50, p99 and max commit→receive of the webhooks committed in each second of the run
 * (log scale, 1 ms floor), with the phase boundaries as vertical lines. The backlog's seconds are series of their own,
 * so no line joins the paced phase's latency to the backlog's. A PNG, drawn without a display.
 */
public final class LatencyChart {

    static {
        // Before any AWT class loads: the bench runs on servers without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color P50 = new Color(0x1F, 0x77, 0xB4);
    private static final Color P99 = new Color(0xFF, 0x7F, 0x0E);
    private static final Color MAX = new Color(0xD6, 0x27, 0x28);
    private static final Color[] BOUNDARY_COLORS = {new Color(0x2C, 0xA0, 0x2C), Color.GRAY, new Color(0x94, 0x67, 0xBD)};

    private LatencyChart() {
    }

    /**
     * Writes {@code file} (a {@code .png}); {@code boundaries} are named seconds of the run drawn as vertical lines.
     * Throws when there is nothing to draw or when AWT cannot draw (no fonts, say).
     */
    public static void writePng(Path file, List<Second> seconds, Map<String, Double> boundaries) throws IOException {
        if (seconds.isEmpty()) {
            throw new IllegalArgumentException("no webhook was delivered, nothing to draw");
        }
        XYChart chart = new XYChartBuilder().width(1200).height(600)
                .title("bookhook bench: commit→receive latency per second of the run")
                .xAxisTitle("second of the run (by commit time, from the paced phase's start)")
                .yAxisTitle("ms (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<Second> paced = seconds.stream().filter(s -> s.phase() != Phase.BACKLOG).toList();
        List<Second> backlog = seconds.stream().filter(s -> s.phase() == Phase.BACKLOG).toList();
        percentiles(chart, "", paced, SeriesMarkers.CIRCLE, SeriesLines.SOLID);
        percentiles(chart, "backlog ", backlog, SeriesMarkers.DIAMOND, SeriesLines.SOLID);
        double top = seconds.stream().mapToDouble(s -> floor(s.latency().max())).max().orElse(1) * 2;
        int next = 0;
        for (Map.Entry<String, Double> boundary : boundaries.entrySet()) {
            double second = boundary.getValue();
            XYSeries line = chart.addSeries(boundary.getKey(), new double[] {second, second}, new double[] {1, top});
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(BOUNDARY_COLORS[next++ % BOUNDARY_COLORS.length]);
            line.setLineStyle(SeriesLines.DASH_DASH);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void percentiles(XYChart chart, String prefix, List<Second> seconds, Marker marker, BasicStroke line) {
        if (seconds.isEmpty()) {
            return;
        }
        // Each second's webhooks were committed anywhere in it: drawn at its middle, so the boundaries fall between points.
        double[] x = seconds.stream().mapToDouble(s -> s.second() + 0.5).toArray();
        series(chart, prefix + "max", x, seconds.stream().mapToDouble(s -> floor(s.latency().max())).toArray(), MAX, marker, line);
        series(chart, prefix + "p99", x, seconds.stream().mapToDouble(s -> floor(s.latency().p99())).toArray(), P99, marker, line);
        series(chart, prefix + "p50", x, seconds.stream().mapToDouble(s -> floor(s.latency().p50())).toArray(), P50, marker, line);
    }

    private static void series(XYChart chart, String name, double[] x, double[] y, Color color, Marker marker, BasicStroke line) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(marker);
        series.setLineStyle(line);
        series.setLineColor(color);
        series.setMarkerColor(color);
    }

    /** Log scale: 0 ms (possible at millisecond resolution) is drawn at 1 ms. */
    private static double floor(double ms) {
        return Math.max(1, ms);
    }
}
