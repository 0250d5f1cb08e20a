package io.zkpfl.marketplace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.MarketEvents;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.DevStackConfig;
import io.zkpfl.devstack.demo.ServiceProcess;
import io.zkpfl.devstack.fault.Component;
import io.zkpfl.devstack.fault.FaultControl;
import io.zkpfl.marketplace.job.SignedJobs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Load with faults: concurrent posts and reads against the packaged service (quarkus-run.jar, its own process)
 * on a fresh embedded stack, while PostgreSQL, Kafka, the chain and the IPFS store are in turn stalled and
 * resumed, then killed and restarted. Afterwards it reconciles what clients were told against PostgreSQL, the
 * chain and Kafka, and prints a table. Loopback only; bounded in time (about 4 minutes) and in jobs. Not a test.
 *
 * <pre>
 * ./mvnw -B -q -DskipTests package -pl devstack,marketplace-service
 * ./mvnw -B -q -pl marketplace-service exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.zkpfl.marketplace.bench.FaultLoadBench
 * </pre>
 *
 * Properties: {@code bench.hold} (seconds a fault lasts, 8), {@code bench.posters} (2), {@code bench.readers} (2),
 * {@code bench.jar}.
 */
public final class FaultLoadBench {

    /** The service's dependency deadline (3 s) plus 1 s for a loaded machine: "answered in time". */
    private static final Duration IN_TIME = Duration.ofSeconds(4);
    /** How long a client waits at most. */
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicLong NONCE = new AtomicLong(System.currentTimeMillis() * 1000);

    private record Phase(Component component, String fault, int sent, int inTime, Map<String, Integer> errors,
                         Set<Long> accepted, double recoverSeconds) {
    }

    public static void main(String[] args) throws Exception {
        int hold = Integer.getInteger("bench.hold", 8);
        int posters = Integer.getInteger("bench.posters", 2);
        int readers = Integer.getInteger("bench.readers", 2);
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            jar = Path.of("marketplace-service").resolve(jar);
        }
        try (DevStack stack = DevStack.start(DevStackConfig.embedded())) {
            Map<String, String> props = new HashMap<>(stack.serviceProperties());
            props.put("zkpfl.chain.bootstrap", "dev");
            props.put("zkpfl.chain.submit-interval", "0.2s");
            props.put("zkpfl.outbox.poll-interval", "0.2s");
            Path log = Files.createTempFile("zkpfl-fault-bench-marketplace", ".log");
            try (ServiceProcess service = ServiceProcess.start("marketplace", jar, props, log, Duration.ofMinutes(3))) {
                String base = service.baseUrl().toString();
                RestAssured.baseURI = "http://" + service.baseUrl().getHost();
                RestAssured.port = service.baseUrl().getPort();
                List<Phase> phases = new ArrayList<>();
                for (Component c : List.of(Component.POSTGRES, Component.KAFKA, Component.CHAIN, Component.IPFS)) {
                    for (String fault : List.of("stall", "kill")) {
                        phases.add(phase(base, stack.faults(c), c, fault, hold, posters, readers));
                        System.out.printf(Locale.ROOT, "%s %s done%n", c.id(), fault);
                    }
                }
                print(phases, reconcile(stack, phases), hold, posters, readers);
            }
        }
    }

    private static Phase phase(String base, FaultControl control, Component component, String fault, int hold,
                               int posters, int readers) throws Exception {
        Load load = new Load(base);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < posters; i++) {
            int account = 1 + i % 3;
            threads.add(Thread.ofPlatform().name("poster-" + i).start(() -> load.post(account)));
        }
        for (int i = 0; i < readers; i++) {
            threads.add(Thread.ofPlatform().name("reader-" + i).start(load::read));
        }
        Thread.sleep(2000);
        if (fault.equals("stall")) {
            control.stall();
        } else {
            control.kill();
        }
        Thread.sleep(hold * 1000L);
        long restored = System.nanoTime();
        if (fault.equals("stall")) {
            control.resume();
        } else {
            control.restart();
        }
        double recover = Double.NaN;
        long deadline = restored + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (load.lastAcceptedAt.get() > restored && status(base + "/q/health/ready") == 200) {
                recover = (System.nanoTime() - restored) / 1e9;
                break;
            }
            Thread.sleep(100);
        }
        Thread.sleep(2000);
        load.stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        return new Phase(component, fault, load.sent.get(), load.inTime.get(), new TreeMap<>(load.errors),
                Set.copyOf(load.accepted), recover);
    }

    /** Posters and readers sharing one phase's counters. */
    private static final class Load {
        final String base;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger inTime = new AtomicInteger();
        final Map<String, Integer> errors = new ConcurrentHashMap<>();
        final Set<Long> accepted = ConcurrentHashMap.newKeySet();
        final AtomicLong lastAcceptedAt = new AtomicLong();

        Load(String base) {
            this.base = base;
        }

        void post(int account) {
            while (!stop.get()) {
                String body = SignedJobs.tiny(account, NONCE.incrementAndGet());
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs")).timeout(PATIENCE)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
                JsonNode answer = send(request);
                if (answer != null && answer.has("id") && answer.has("digest")) {
                    accepted.add(answer.get("id").asLong());
                    lastAcceptedAt.set(System.nanoTime());
                }
                pause(250);
            }
        }

        void read() {
            while (!stop.get()) {
                List<Long> ids = List.copyOf(accepted);
                String path = ids.isEmpty() || ThreadLocalRandom.current().nextBoolean() ? "/api/v1/jobs?size=20"
                        : "/api/v1/jobs/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                send(HttpRequest.newBuilder(URI.create(base + path)).timeout(PATIENCE).GET().build());
                pause(100);
            }
        }

        /** Sends, classifies the answer, and returns its JSON when it is a success. */
        JsonNode send(HttpRequest request) {
            sent.incrementAndGet();
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (System.nanoTime() - t0 <= IN_TIME.toNanos()) {
                    inTime.incrementAndGet();
                }
                if (r.statusCode() == 200 || r.statusCode() == 201) {
                    return JSON.readTree(r.body());
                }
                String kind = r.statusCode() == 503 && r.body().contains("\"dependency\"")
                        ? "503 " + JSON.readTree(r.body()).get("dependency").asText() : String.valueOf(r.statusCode());
                errors.merge(kind, 1, Integer::sum);
            } catch (HttpTimeoutException e) {
                errors.merge("no answer in " + PATIENCE.toSeconds() + " s", 1, Integer::sum);
            } catch (Exception e) {
                errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            }
            return null;
        }
    }

    private record Reconciled(Map<Long, Integer> lost, Map<Long, Integer> duplicates, String note) {
    }

    /**
     * Waits (bounded) until every accepted job is on chain, then counts per job: lost when it is not stored,
     * not on chain, or not announced; duplicated when it has a chain job id shared with another job, more
     * JobCreated logs exist than stored on-chain jobs, or its key carries a JobPosted or JobOnChain twice.
     */
    private static Reconciled reconcile(DevStack stack, List<Phase> phases) throws Exception {
        Set<Long> accepted = new HashSet<>();
        phases.forEach(p -> accepted.addAll(p.accepted()));
        Map<Long, String> submission = new HashMap<>();
        Map<Long, String> chainJob = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            submission.clear();
            chainJob.clear();
            try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), stack.postgres().username(),
                    stack.postgres().password()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, submission, chain_job_id FROM job")) {
                while (rs.next()) {
                    submission.put(rs.getLong(1), rs.getString(2));
                    chainJob.put(rs.getLong(1), rs.getString(3));
                }
            }
            boolean settled = accepted.stream().noneMatch(id -> "PENDING".equals(submission.get(id)));
            if (settled || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        Map<String, Integer> kafka = announcements(stack, accepted);
        long onChainStored = submission.values().stream().filter("ON_CHAIN"::equals).count();
        long created = jobCreatedLogs(stack.chain().rpcUrl());
        Map<String, Long> perChainJob = new HashMap<>();
        chainJob.values().stream().filter(v -> v != null).forEach(v -> perChainJob.merge(v, 1L, Long::sum));
        Map<Long, Integer> lost = new HashMap<>();
        Map<Long, Integer> duplicates = new HashMap<>();
        for (long id : accepted) {
            if (!submission.containsKey(id) || !"ON_CHAIN".equals(submission.get(id))
                    || !kafka.containsKey(id + "/JobPosted") || !kafka.containsKey(id + "/JobOnChain")) {
                lost.put(id, 1);
            }
            if (chainJob.get(id) != null && perChainJob.get(chainJob.get(id)) > 1
                    || kafka.getOrDefault(id + "/JobPosted", 0) > 1 || kafka.getOrDefault(id + "/JobOnChain", 0) > 1) {
                duplicates.put(id, 1);
            }
        }
        long unacknowledged = submission.keySet().stream().filter(id -> !accepted.contains(id)).count();
        String note = String.format(Locale.ROOT, "stored jobs %d (of which %d whose client got no success: a timed-out"
                        + " post retried with the same signature returns them); on chain: %d stored as ON_CHAIN, %d JobCreated logs%s",
                submission.size(), unacknowledged, onChainStored, created,
                created > onChainStored ? " (MORE LOGS THAN JOBS: duplicates on chain)" : "");
        if (created > onChainStored) {
            duplicates.put(-1L, (int) (created - onChainStored));
        }
        return new Reconciled(lost, duplicates, note);
    }

    private static Map<String, Integer> announcements(DevStack stack, Set<Long> accepted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-bench-" + UUID.randomUUID());
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("zkpfl.jobs", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int quiet = 0;
            while (System.nanoTime() < deadline && quiet < 4) {
                int n = 0;
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    String type = new String(r.headers().lastHeader("type").value(), StandardCharsets.UTF_8);
                    counts.merge(r.key() + "/" + type, 1, Integer::sum);
                    n++;
                }
                boolean complete = accepted.stream().allMatch(id -> counts.containsKey(id + "/JobOnChain"));
                quiet = complete && n == 0 ? quiet + 1 : 0;
            }
        }
        return counts;
    }

    private static long jobCreatedLogs(String rpcUrl) throws Exception {
        String topic = MarketEvents.topic(MarketEvent.JobCreated.class);
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getLogs\",\"params\":[{\"fromBlock\":\"0x0\","
                + "\"toBlock\":\"latest\",\"topics\":[\"" + topic + "\"]}]}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rpcUrl)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).get("result").size();
    }

    private static void print(List<Phase> phases, Reconciled reconciled, int hold, int posters, int readers) {
        System.out.printf(Locale.ROOT, "%nLoad with faults: %d posters (one post per 250 ms each) and %d readers (one read per 100 ms each)"
                + " on loopback; each fault held %d s; \"in time\" = answered within %d s (deadline 3 s + 1 s); %d cores%n",
                posters, readers, hold, IN_TIME.toSeconds(), Runtime.getRuntime().availableProcessors());
        System.out.println("| component | fault | requests | answered in time | errors by kind | jobs accepted | lost | duplicates | recovered after |");
        System.out.println("|---|---|---:|---:|---|---:|---:|---:|---:|");
        for (Phase p : phases) {
            long lost = p.accepted().stream().filter(reconciled.lost()::containsKey).count();
            long dup = p.accepted().stream().filter(reconciled.duplicates()::containsKey).count();
            String errors = p.errors().isEmpty() ? "none" : String.join(", ", p.errors().entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).toList());
            System.out.printf(Locale.ROOT, "| %s | %s + %s | %d | %d (%.1f %%) | %s | %d | %d | %d | %s |%n",
                    p.component().id(), p.fault(), p.fault().equals("stall") ? "resume" : "restart", p.sent(), p.inTime(),
                    100.0 * p.inTime() / Math.max(1, p.sent()), errors, p.accepted().size(), lost, dup,
                    Double.isNaN(p.recoverSeconds()) ? "not within 90 s" : String.format(Locale.ROOT, "%.1f s", p.recoverSeconds()));
        }
        System.out.println(reconciled.note());
        System.out.println("recovered after: from the resume/restart call until readiness is UP and a post has succeeded");
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
