package io.zkpfl.engine.it;

import io.zkpfl.contracts.generated.StakingRegistry;
import io.zkpfl.devstack.demo.ServiceProcess;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.web3j.crypto.Credentials;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.NoOpProcessor;

/**
 * Benchmark harness (not a test): the index's rate on a chain with many events, and the audit API's throughput and
 * p99 latency with 10,000 rounds indexed. Prints a table for docs/benchmarks.md.
 *
 * <pre>
 * ./mvnw -B -o -q -pl reward-engine -am verify -DskipTests
 * ./mvnw -B -o -q -pl reward-engine exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.zkpfl.engine.it.AuditBench [-Dbench.events=5000 -Dbench.rounds=10000 -Dbench.seconds=20]
 * </pre>
 */
public final class AuditBench {

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 5_000);
        int rounds = Integer.getInteger("bench.rounds", 10_000);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int clients = Integer.getInteger("bench.clients", 8);
        try (EngineStack s = EngineStack.start(3, 0, "bench")) {
            // 1. indexing rate: `events` CapacitySet events, 100 transactions per block, indexed from scratch
            Credentials node = s.nodes.getFirst();
            StakingRegistry registry = StakingRegistry.load(s.addresses.registry(), s.web3j,
                    new FastRawTransactionManager(s.web3j, node, s.anvil.chainId(), new NoOpProcessor(s.web3j)),
                    new StaticGasProvider(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(200_000)));
            s.anvil.rpc("evm_setAutomine", "[false]");
            for (int i = 0; i < events; i++) {
                registry.setCapacity(BigInteger.valueOf(1 + i % 16)).send();
                if (i % 100 == 99) {
                    s.mine();
                }
            }
            s.mine();
            s.anvil.rpc("evm_setAutomine", "[true]");
            long head = s.blockNumber();
            long t0 = System.nanoTime();
            ServiceProcess engine = s.startEngine(Map.of("zkpfl.index.confirmations", "0", "zkpfl.engine.enabled", "false",
                    "zkpfl.index.batch-blocks", "50"));
            long tReady = System.nanoTime();
            EngineStack.await("the index to reach the head", java.time.Duration.ofMinutes(10),
                    () -> s.getJson(engine, "/api/v1/audit/index").get("nextBlock").asLong() > head);
            long tDone = System.nanoTime();
            long indexed = s.getJson(engine, "/api/v1/audit/index").get("events").asLong();
            double indexSeconds = (tDone - tReady) / 1e9;

            // 2. audit queries with `rounds` synthetic rounds of one job (20 events each) in the index
            seed(s, rounds);
            String base = engine.baseUrl().toString();
            SplittableRandom rng = new SplittableRandom(1);
            List<Object[]> table = new ArrayList<>();
            table.add(load("GET /q/health/live (trivial)", clients, seconds, i -> base + "/q/health/live"));
            table.add(load("GET /audit/jobs/J/rounds?after=R&limit=20", clients, seconds,
                    i -> base + "/api/v1/audit/jobs/999/rounds?limit=20&after=" + rng.split().nextInt(rounds - 20)));
            table.add(load("GET /audit/jobs/J/payments?after=C&limit=100", clients, seconds,
                    i -> base + "/api/v1/audit/jobs/999/payments?limit=100&after=" + (1_000_000 + rng.split().nextInt(rounds)) + "-0"));
            table.add(load("GET /audit/accounts/A/earnings?limit=100", clients, seconds,
                    i -> base + "/api/v1/audit/accounts/" + trainer(rng.split().nextInt(5)) + "/earnings?limit=100"));
            table.add(load("GET /audit/accounts/A (totals)", clients, seconds,
                    i -> base + "/api/v1/audit/accounts/" + trainer(rng.split().nextInt(5))));
            engine.close();
            System.out.printf(Locale.ROOT, "%nIndexing: %,d events in %,d blocks indexed in %.1f s from the engine's start "
                            + "(%.0f events/s; 50-block batches, includes the first poll's 1 s delay)%n",
                    indexed, head, indexSeconds, indexed / indexSeconds);
            System.out.printf(Locale.ROOT, "Audit API: %,d rounds (%,d events) of one job indexed; %d closed-loop clients, "
                    + "%d s each, %d cores (shared with the load generator)%n", rounds, rounds * 20L, clients, seconds,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "| %-46s | %9s | %8s | %8s | %9s | %6s |%n", "endpoint", "req/s", "p50 ms",
                    "p99 ms", "requests", "errors");
            System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%n", "-".repeat(48), "-".repeat(11), "-".repeat(10),
                    "-".repeat(10), "-".repeat(11), "-".repeat(8));
            for (Object[] r : table) {
                System.out.printf(Locale.ROOT, "| %-46s | %,9.0f | %8.2f | %8.2f | %,9d | %6d |%n", r);
            }
            System.out.printf(Locale.ROOT, "rounds page / trivial throughput ratio: %.2f%n",
                    (double) table.get(1)[1] / (double) table.get(0)[1]);
        }
    }

    private static String trainer(int i) {
        return String.format(Locale.ROOT, "0x%040x", 0x7a000 + i);
    }

    /** Inserts {@code rounds} rounds of job 999 straight into the index (block 10^6 + r), as the indexer would. */
    private static void seed(EngineStack s, int rounds) throws Exception {
        var pg = s.stack.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password())) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into chain_event (block_number, log_index, block_hash, tx_hash, contract, name, job_id, round,
                        attempt, account, args) values (?, ?, '0x00', ?, 'JobMarket', ?, 999, ?, ?, ?, ?::jsonb)""")) {
                for (int r = 0; r < rounds; r++) {
                    long block = 1_000_000L + r;
                    int li = 0;
                    li = add(ps, block, li, "AttemptOpened", r, 0, null, "{\"jobId\":\"999\",\"round\":" + r + ",\"attempt\":0}");
                    for (int i = 0; i < 5; i++) {
                        li = add(ps, block, li, "RoundCommitted", r, 0, trainer(i), "{\"jobId\":\"999\",\"round\":" + r
                                + ",\"attempt\":0,\"trainer\":\"" + trainer(i) + "\",\"index\":\"" + (i + 1)
                                + "\",\"points\":[\"1\",\"2\",\"3\",\"4\"],\"manifest\":\"0x00\",\"samples\":\"100\"}");
                    }
                    li = add(ps, block, li, "IncludedSetFixed", r, 0, null, "{\"jobId\":\"999\",\"round\":" + r
                            + ",\"attempt\":0,\"included\":[],\"sampleSum\":\"500\"}");
                    for (int k = 1; k <= 3; k++) {
                        li = add(ps, block, li, "OpeningVerified", r, 0, trainer(10 + k), "{\"jobId\":\"999\",\"round\":" + r
                                + ",\"attempt\":0,\"node\":\"" + trainer(10 + k) + "\",\"k\":\"" + k + "\",\"z\":\"1\",\"y\":\"2\"}");
                    }
                    li = add(ps, block, li, "RoundCertified", r, 0, null, "{\"jobId\":\"999\",\"round\":" + r + ",\"attempt\":0}");
                    for (int k = 1; k <= 3; k++) {
                        li = add(ps, block, li, "PartialRevealed", r, 0, trainer(10 + k), "{\"jobId\":\"999\",\"round\":" + r
                                + ",\"attempt\":0,\"node\":\"" + trainer(10 + k) + "\",\"cid\":\"0x01\"}");
                    }
                    li = add(ps, block, li, "RoundAggregated", r, 0, null, "{\"jobId\":\"999\",\"round\":" + r
                            + ",\"attempt\":0,\"resultX\":\"1\",\"resultY\":\"2\",\"sampleSum\":\"500\",\"model\":\"0x00\"}");
                    li = add(ps, block, li, "RoundPaid", r, null, null, "{\"jobId\":\"999\",\"round\":" + r
                            + ",\"model\":\"0x00\",\"accuracy\":\"500000\",\"pool\":\"100\",\"paid\":\"80\"}");
                    for (int i = 0; i < 5; i++) {
                        li = add(ps, block, li, "RewardCredited", r, null, trainer(i), "{\"jobId\":\"999\",\"round\":" + r
                                + ",\"account\":\"" + trainer(i) + "\",\"amount\":\"16\"}");
                    }
                    if (r % 500 == 499) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            try (var st = c.createStatement()) {
                st.execute("analyze chain_event");
            }
        }
    }

    private static int add(PreparedStatement ps, long block, int logIndex, String name, int round, Integer attempt,
                           String account, String args) throws Exception {
        ps.setLong(1, block);
        ps.setInt(2, logIndex);
        ps.setString(3, "0x" + Long.toHexString(block));
        ps.setString(4, name);
        ps.setInt(5, round);
        if (attempt == null) {
            ps.setNull(6, java.sql.Types.INTEGER);
        } else {
            ps.setInt(6, attempt);
        }
        ps.setString(7, account);
        ps.setString(8, args);
        ps.addBatch();
        return logIndex + 1;
    }

    /** A closed loop of {@code clients} requests at a time for {@code seconds}, after a 5 s warm-up. */
    private static Object[] load(String label, int clients, int seconds, IntFunction<String> url) throws Exception {
        HttpClient http = HttpClient.newBuilder().build();
        run(http, clients, 5, url, new ArrayList<>(), new AtomicLong());
        List<Long> latencies = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        long t0 = System.nanoTime();
        run(http, clients, seconds, url, latencies, errors);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6;
        double p99 = sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        return new Object[] {label, sorted.length / elapsed, p50, p99, (long) sorted.length, errors.get()};
    }

    private static void run(HttpClient http, int clients, int seconds, IntFunction<String> url, List<Long> latencies,
                            AtomicLong errors) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(CompletableFuture.runAsync(() -> {
                List<Long> mine = new ArrayList<>();
                int i = 0;
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url.apply(i++))).GET().build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    mine.add(System.nanoTime() - t);
                }
                synchronized (latencies) {
                    latencies.addAll(mine);
                }
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    }
}
