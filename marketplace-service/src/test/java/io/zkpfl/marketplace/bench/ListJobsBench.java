package io.zkpfl.marketplace.bench;

import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.DevStackConfig;
import io.zkpfl.devstack.demo.ServiceProcess;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Listing throughput: loads {@code bench.jobs} (10,000) jobs, then drives {@code GET /api/v1/jobs?page…} and,
 * as the baseline of the same run, the trivial {@code GET /api/v1/version} with wrk on loopback, against the
 * packaged service (quarkus-run.jar) on the embedded stack. Prints a table. Not a test.
 *
 * <pre>
 * ./mvnw -B -q -DskipTests install -pl marketplace-service -am
 * ./mvnw -B -q -pl marketplace-service exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.zkpfl.marketplace.bench.ListJobsBench
 * </pre>
 */
public final class ListJobsBench {

    public static void main(String[] args) throws Exception {
        int jobs = Integer.getInteger("bench.jobs", 10_000);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int connections = Integer.getInteger("bench.connections", 32);
        int threads = Integer.getInteger("bench.threads", 2);
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            jar = Path.of("marketplace-service").resolve(jar);
        }

        try (DevStack stack = DevStack.start(DevStackConfig.embedded())) {
            Path log = Files.createTempFile("zkpfl-bench-marketplace", ".log");
            try (ServiceProcess service = ServiceProcess.start("marketplace", jar, serviceProperties(stack), log, Duration.ofMinutes(3))) {
                seed(stack.postgres().jdbcUrl(), stack.postgres().username(), stack.postgres().password(), jobs);
                String base = service.baseUrl().toString();
                int pages = jobs / 20;
                Path paging = Wrk.pagingScript("/api/v1/jobs", pages, 20);
                // warm-up: JIT, prepared statements, connection pool
                Wrk.run("warm-up", base + "/api/v1/version", threads, connections, 5, null);
                Wrk.run("warm-up", base + "/api/v1/jobs", threads, connections, 10, paging);

                List<Wrk.Result> results = new ArrayList<>();
                results.add(Wrk.run("GET /api/v1/version (trivial)", base + "/api/v1/version", threads, connections, seconds, null));
                results.add(Wrk.run("GET /api/v1/jobs?page=0..499 (offset)", base + "/api/v1/jobs", threads, connections, seconds, paging));
                results.add(Wrk.run("GET /api/v1/jobs?page=0..4 (first pages)", base + "/api/v1/jobs", threads, connections, seconds,
                        Wrk.pagingScript("/api/v1/jobs", 5, 20)));
                Path cursor = Wrk.requestScript("\"/api/v1/jobs?size=20&after=\" .. (" + jobs + " - (counter % " + pages + ") * 20 + 1)");
                results.add(Wrk.run("GET /api/v1/jobs?after=… (cursor)", base + "/api/v1/jobs", threads, connections, seconds, cursor));
                Path owner = Wrk.requestScript("\"/api/v1/jobs?owner=" + ownerAddress(7) + "&size=20&page=\" .. (counter % 10)");
                results.add(Wrk.run("GET /api/v1/jobs?owner=…&page=…", base + "/api/v1/jobs", threads, connections, seconds, owner));
                print(results, jobs, seconds, connections, threads);
            }
        }
    }

    private static void print(List<Wrk.Result> results, int jobs, int seconds, int connections, int threads) {
        System.out.printf(Locale.ROOT, "%nListing benchmark: %,d jobs, wrk -t%d -c%d -d%ds on loopback, %d cores (wrk shares them)%n",
                jobs, threads, connections, seconds, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "| %-40s | %10s | %8s | %8s | %9s | %6s |%n", "endpoint", "req/s", "p50 ms", "p99 ms", "requests", "errors");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%n", "-".repeat(42), "-".repeat(12), "-".repeat(10), "-".repeat(10), "-".repeat(11), "-".repeat(8));
        for (Wrk.Result r : results) {
            System.out.printf(Locale.ROOT, "| %-40s | %,10.0f | %8.2f | %8.2f | %,9d | %6d |%n",
                    r.label(), r.requestsPerSecond(), r.p50(), r.p99(), r.requests(), r.errors());
        }
        double ratio = results.get(1).requestsPerSecond() / results.get(0).requestsPerSecond();
        System.out.printf(Locale.ROOT, "listing / trivial throughput ratio: %.2f%n", ratio);
    }

    /** The stack's properties, plus the dev chain bootstrap (the service deploys its contracts on the stack's Anvil). */
    private static java.util.Map<String, String> serviceProperties(DevStack stack) {
        java.util.Map<String, String> properties = new java.util.HashMap<>(stack.serviceProperties());
        properties.put("zkpfl.chain.bootstrap", "dev");
        return properties;
    }

    private static String ownerAddress(int i) {
        return "0x" + String.format(Locale.ROOT, "%040x", i + 1);
    }

    /** Inserts {@code count} realistic job rows (50 owners) in batches; the listing reads nothing else. */
    private static void seed(String jdbcUrl, String user, String password, int count) throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        String model = "{\"input\":{\"shape\":[784]},\"layers\":[{\"type\":\"dense\",\"units\":32,\"activation\":\"relu\"},"
                + "{\"type\":\"output\",\"units\":10,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO job (digest, owner, status, model_spec, parameter_count, "
                    + "local_epochs, batch_size, learning_rate, optimiser, target_accuracy, max_rounds, fee_token, fee_amount, "
                    + "committee_size, threshold, min_trainers, nonce, deadline, signature, model_cid, weights_cid, weights_hash, "
                    + "weights_bytes, weights_seed, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < count; i++) {
                    byte[] digest = new byte[32];
                    random.nextBytes(digest);
                    String hex = "0x" + HexFormat.of().formatHex(digest);
                    insert.setString(1, hex);
                    insert.setString(2, ownerAddress(random.nextInt(50)));
                    insert.setString(3, random.nextInt(10) == 0 ? "REJECTED" : "POSTED");
                    insert.setString(4, model);
                    insert.setLong(5, 25_450);
                    insert.setInt(6, 1);
                    insert.setInt(7, 32);
                    insert.setDouble(8, 0.05);
                    insert.setString(9, "sgd");
                    insert.setBigDecimal(10, new BigDecimal("0.85"));
                    insert.setInt(11, 20);
                    insert.setString(12, ownerAddress(1000));
                    insert.setBigDecimal(13, new BigDecimal(BigInteger.TEN.pow(20)));
                    insert.setInt(14, 3);
                    insert.setInt(15, 2);
                    insert.setInt(16, 2);
                    insert.setBigDecimal(17, BigDecimal.valueOf(i));
                    insert.setLong(18, Instant.now().getEpochSecond() + 3600);
                    insert.setString(19, "0x" + "00".repeat(65));
                    insert.setString(20, "QmSTCySzauMwfdi3Z4oSRNNKW1SdpCxqbCNar9QvZyKHfw");
                    insert.setString(21, "QmSTCySzauMwfdi3Z4oSRNNKW1SdpCxqbCNar9QvZyKHfw");
                    insert.setString(22, hex);
                    insert.setLong(23, 101_800);
                    insert.setLong(24, i);
                    insert.setTimestamp(25, Timestamp.from(Instant.now()));
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (var vacuum = c.createStatement()) {
                // steady state of a live table: autovacuum has set the visibility map and statistics
                vacuum.execute("VACUUM ANALYZE job");
            }
        }
    }
}
