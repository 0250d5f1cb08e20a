package io.zkpfl.system.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives every line a process writes to its log the wall-clock time at which it appeared, for logs without timestamps
 * of their own (the trainer's {@code run} output). A daemon thread reads what each watched file gained every
 * {@code pollMillis}; a line's stamp is therefore late by at most that interval.
 */
final class LineStamps implements AutoCloseable {

    /** A line and when it was first seen. */
    record Stamped(Instant at, String line) {
    }

    private final Map<Path, Watched> files = new ConcurrentHashMap<>();
    private final Thread thread;
    private final long pollMillis;
    private volatile boolean running = true;

    LineStamps(long pollMillis) {
        this.pollMillis = pollMillis;
        this.thread = new Thread(this::loop, "bench-line-stamps");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching {@code file} (it may not exist yet); lines already in it are stamped now. */
    void watch(Path file) {
        files.putIfAbsent(file, new Watched());
    }

    /** The stamped lines of {@code file} so far, after one more read of it. */
    List<Stamped> lines(Path file) {
        Watched w = files.get(file);
        if (w == null) {
            return List.of();
        }
        synchronized (w) {
            read(file, w);
            return List.copyOf(w.lines);
        }
    }

    private void loop() {
        while (running) {
            files.forEach((file, w) -> {
                synchronized (w) {
                    read(file, w);
                }
            });
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void read(Path file, Watched w) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length <= w.offset) {
                return;
            }
            byte[] bytes = new byte[(int) (length - w.offset)];
            f.seek(w.offset);
            f.readFully(bytes);
            w.offset = length;
            Instant now = Instant.now();
            String text = w.partial + new String(bytes, StandardCharsets.UTF_8);
            int start = 0;
            for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
                w.lines.add(new Stamped(now, text.substring(start, nl).stripTrailing()));
                start = nl + 1;
            }
            w.partial = text.substring(start);
        } catch (IOException e) {
            // a log that cannot be read now is read on the next pass
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    private static final class Watched {
        long offset;
        String partial = "";
        final List<Stamped> lines = new ArrayList<>();
    }
}
