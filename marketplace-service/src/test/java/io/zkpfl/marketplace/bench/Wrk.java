package io.zkpfl.marketplace.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the {@code wrk} HTTP load generator (Debian package {@code wrk}) and reads its summary. */
final class Wrk {

    /** Requests per second and latency percentiles in milliseconds, plus non-2xx count. */
    record Result(String label, double requestsPerSecond, double p50, double p99, long requests, long errors) {
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private Wrk() {
    }

    static Result run(String label, String url, int threads, int connections, int seconds, Path luaScript) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (luaScript != null) {
            command.add("-s");
            command.add(luaScript.toString());
        }
        command.add(url);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("wrk is not installed: apt-get install wrk", e);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("wrk failed:\n" + out);
        }
        long errors = 0;
        Matcher m = NON2XX.matcher(out);
        if (m.find()) {
            errors += Long.parseLong(m.group(1));
        }
        m = SOCKET.matcher(out);
        if (m.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(m.group(g));
            }
        }
        return new Result(label, number(RPS, out), percentile(out, "50%"), percentile(out, "99%"),
                (long) number(TOTAL, out), errors);
    }

    private static double number(Pattern pattern, String out) throws IOException {
        Matcher m = pattern.matcher(out);
        if (!m.find()) {
            throw new IOException("unexpected wrk output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double percentile(String out, String which) throws IOException {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(which) + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            throw new IOException("no " + which + " latency in wrk output:\n" + out);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    /** A Lua script that spreads requests over {@code pages} pages of {@code path}. */
    static Path pagingScript(String path, int pages, int size) throws IOException {
        return requestScript("\"" + path + "?page=\" .. (counter % " + pages + ") .. \"&size=" + size + "\"");
    }

    /** A Lua script whose n-th request (counter = n) goes to the path the Lua expression yields. */
    static Path requestScript(String luaPathExpression) throws IOException {
        Path script = Files.createTempFile("zkpfl-wrk", ".lua");
        script.toFile().deleteOnExit();
        Files.writeString(script, """
                local counter = 0
                request = function()
                  counter = counter + 1
                  return wrk.format("GET", %s)
                end
                """.formatted(luaPathExpression));
        return script;
    }
}
