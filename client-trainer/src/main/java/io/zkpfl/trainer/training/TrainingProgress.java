package io.zkpfl.trainer.training;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Reports training progress: a redrawn progress bar with samples/s and ETA on a terminal, one line
 * per epoch in a pipe or log, or nothing.
 */
public sealed interface TrainingProgress permits TrainingProgress.TerminalBar, TrainingProgress.EpochLog, TrainingProgress.Silent {

    /** An epoch over {@code samples} samples begins. */
    void epochStarted(int epoch, int epochs, int samples);

    /** {@code done} samples of the current epoch have been processed. */
    void advanced(int done);

    /** The epoch ended after {@code seconds} with mean training loss {@code loss}. */
    void epochFinished(int epoch, int epochs, int samples, double loss, double seconds);

    /** A bar when standard output is a terminal, otherwise one line per epoch. */
    static TrainingProgress forStdout(PrintWriter out) {
        return onTerminal() ? new TerminalBar(out) : new EpochLog(out);
    }

    /**
     * True when {@link System#console()} is present and, on JDK 22+ where a console may exist for
     * redirected streams, {@code Console.isTerminal()} also says so.
     */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | ClassCastException e) {
            return false;
        }
    }

    /** Redraws one line with {@code \r}, at most ten times a second. */
    final class TerminalBar implements TrainingProgress {
        private static final int WIDTH = 30;
        private final PrintWriter out;
        private long epochStart;
        private long lastDraw;
        private int epoch;
        private int epochs;
        private int samples;

        public TerminalBar(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void epochStarted(int epoch, int epochs, int samples) {
            this.epoch = epoch;
            this.epochs = epochs;
            this.samples = samples;
            this.epochStart = System.nanoTime();
            this.lastDraw = 0;
        }

        @Override
        public void advanced(int done) {
            long now = System.nanoTime();
            if (now - lastDraw < 100_000_000L && done < samples) {
                return;
            }
            lastDraw = now;
            double seconds = (now - epochStart) / 1e9;
            double rate = seconds > 0 ? done / seconds : 0;
            long eta = rate > 0 ? Math.round((samples - done) / rate) : 0;
            out.print("\r" + bar(epoch, epochs, done, samples, rate, eta));
            out.flush();
        }

        @Override
        public void epochFinished(int epoch, int epochs, int samples, double loss, double seconds) {
            out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
            out.println(EpochLog.line(epoch, epochs, samples, loss, seconds));
            out.flush();
        }

        /** One frame of the bar, e.g. {@code epoch 1/3 [#####.....] 12800/60000 2345 samples/s ETA 0:20}. */
        static String bar(int epoch, int epochs, int done, int samples, double rate, long etaSeconds) {
            int filled = samples == 0 ? WIDTH : (int) ((long) WIDTH * done / samples);
            Duration eta = Duration.ofSeconds(etaSeconds);
            return String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d %.0f samples/s ETA %d:%02d",
                    epoch, epochs, "#".repeat(filled), ".".repeat(WIDTH - filled), done, samples, rate,
                    eta.toMinutes(), eta.toSecondsPart());
        }
    }

    /** One line per finished epoch. */
    record EpochLog(PrintWriter out) implements TrainingProgress {
        @Override
        public void epochStarted(int epoch, int epochs, int samples) {
        }

        @Override
        public void advanced(int done) {
        }

        @Override
        public void epochFinished(int epoch, int epochs, int samples, double loss, double seconds) {
            out.println(line(epoch, epochs, samples, loss, seconds));
            out.flush();
        }

        static String line(int epoch, int epochs, int samples, double loss, double seconds) {
            return String.format(Locale.ROOT, "epoch %d/%d: %d samples, train loss %.4f, %.1f s, %.0f samples/s",
                    epoch, epochs, samples, loss, seconds, seconds > 0 ? samples / seconds : 0);
        }
    }

    /** Reports nothing. */
    record Silent() implements TrainingProgress {
        @Override
        public void epochStarted(int epoch, int epochs, int samples) {
        }

        @Override
        public void advanced(int done) {
        }

        @Override
        public void epochFinished(int epoch, int epochs, int samples, double loss, double seconds) {
        }
    }
}
