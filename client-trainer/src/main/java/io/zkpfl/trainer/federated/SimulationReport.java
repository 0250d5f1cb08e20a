package io.zkpfl.trainer.federated;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes a simulation's per-round CSV, its accuracy/loss plot and the summary table. */
public final class SimulationReport {

    /** Header of the CSV file. */
    public static final String CSV_HEADER = "round,accuracy,loss,seconds,samples_per_second";

    private SimulationReport() {
    }

    /** Writes {@code rounds} as CSV (header {@link #CSV_HEADER}), atomically. */
    public static void writeCsv(Path file, List<RoundMetrics> rounds) throws IOException {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (RoundMetrics m : rounds) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.3f,%.1f%n", m.round(), m.accuracy(), m.loss(), m.seconds(), m.samplesPerSecond()));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A named curve for {@link #writePlot}. */
    public record Curve(String name, List<RoundMetrics> rounds) {
    }

    /** Plots test accuracy per round of one or more runs to a PNG file. */
    public static void writePlot(Path png, String title, List<Curve> curves) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("round").yAxisTitle("test accuracy").build();
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisDecimalPattern("0");
        for (Curve c : curves) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (RoundMetrics m : c.rounds()) {
                x.add((double) m.round());
                y.add(m.accuracy());
            }
            XYSeries s = chart.addSeries(c.name(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        String name = png.getFileName().toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        Path target = png.resolveSibling(base + ".png");
        Path tmp = png.resolveSibling(base + ".part.png");
        BitmapEncoder.saveBitmap(chart, tmp.toString().substring(0, tmp.toString().length() - 4), BitmapEncoder.BitmapFormat.PNG);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Prints a fixed-width table of the rounds followed by the final accuracy. */
    public static void printSummary(PrintWriter out, String title, List<RoundMetrics> rounds) {
        out.println(title);
        out.println(String.format(Locale.ROOT, "%6s %9s %9s %9s %12s", "round", "accuracy", "loss", "seconds", "samples/s"));
        for (RoundMetrics m : rounds) {
            out.println(String.format(Locale.ROOT, "%6d %9.4f %9.4f %9.2f %12.0f", m.round(), m.accuracy(), m.loss(), m.seconds(), m.samplesPerSecond()));
        }
        if (!rounds.isEmpty()) {
            RoundMetrics last = rounds.get(rounds.size() - 1);
            double total = rounds.stream().mapToDouble(RoundMetrics::seconds).sum();
            out.println(String.format(Locale.ROOT, "final accuracy %.4f after %d rounds, %.1f s in total (%.2f s per round)",
                    last.accuracy(), last.round(), total, total / rounds.size()));
        }
        out.flush();
    }
}
