package io.zkpfl.node;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.contracts.AttemptState;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.MarketClient;
import io.zkpfl.contracts.MarketEvent;
import io.zkpfl.contracts.MarketEvents;
import io.zkpfl.contracts.JobState;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.devstack.fault.Component;
import io.zkpfl.protocol.envelope.EnvelopeTag;
import io.zkpfl.protocol.envelope.ShareEnvelope;
import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.fixedpoint.UpdateEncoder;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.round.EnvelopeManifest;
import io.zkpfl.protocol.round.Reveal;
import io.zkpfl.protocol.round.RoundTopics;
import io.zkpfl.protocol.vss.CommitmentSums;
import io.zkpfl.protocol.vss.Dealing;
import io.zkpfl.protocol.vss.Reconstruction;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.vss.VssDealer;
import io.zkpfl.protocol.vss.VssParameters;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameter;

/**
 * Three node processes run rounds that this test's trainers play with the protocol library (VssDealer,
 * ShareEnvelope.seal, EnvelopeManifest over Kafka and IPFS, commitRound); the test only moves the chain's clock past
 * deadlines and checks what the nodes did on chain and on IPFS.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeRoundIT {

    static final int M = 3;
    static final int T = 2;
    static final VssParameters VSS = new VssParameters(T, M, NodeCluster.BUCKET - M, NodeCluster.BUCKET);
    static NodeCluster cluster;
    static List<Credentials> trainers = new ArrayList<>();
    static KafkaProducer<String, byte[]> producer;
    static KuboClient ipfs;
    static long nonce = 1;
    static final List<BigInteger> jobs = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new NodeCluster();
        for (int k = 1; k <= M; k++) {
            HttpResponse<String> r = cluster.post(k, "/admin/registration",
                    "{\"stake\":\"" + NodeCluster.NODE_STAKE + "\",\"capacity\":4}");
            assertEquals(201, r.statusCode(), r.body());
        }
        for (int i = 0; i < 3; i++) {
            Credentials c = cluster.actor("trainer-" + i + "-" + cluster.addresses.market());
            cluster.admin.token().mint(c.getAddress(), NodeCluster.TRAINER_STAKE.multiply(BigInteger.TEN));
            // twice the minimum: a trainer slashed for a bad share stays eligible for the later jobs
            cluster.client(c).staking().stakeAsTrainer(NodeCluster.TRAINER_STAKE.multiply(BigInteger.TWO));
            trainers.add(c);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.stack.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        ipfs = KuboClient.create(cluster.stack.ipfs().apiUrl());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void registrationIsReportedOnceAndThenAsAlreadyRegistered() {
        HttpResponse<String> again = cluster.post(1, "/admin/registration", "{\"stake\":\"" + NodeCluster.NODE_STAKE + "\"}");
        assertEquals(409, again.statusCode(), again.body());
        assertEquals("application/problem+json", again.headers().firstValue("Content-Type").orElse(""));
        assertTrue(cluster.json(again).get("detail").asText().contains("already registered"), again.body());
        assertEquals(4, cluster.admin.staking().capacityOf(cluster.operators.getFirst().getAddress()));
        HttpResponse<String> bad = cluster.post(2, "/admin/registration", "{\"stake\":\"lots\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(cluster.json(bad).get("detail").asText().contains("decimal integer"), bad.body());
    }

    @Test
    @Order(2)
    void anUndisputedRoundIsCertifiedBeforeD2AndAnyTwoRevealsCombineToTheExactSum() throws Exception {
        BigInteger job = createJob(NodeCluster.BUCKET, 2); // a second round, for which the reveals carry the keys
        Round round = new Round(job, 11);
        round.commitAll(Map.of(), true);
        AttemptState committed = cluster.admin.market().attempt(job);
        // a forged manifest under trainer 1's key after the real one must not displace it
        producer.send(new ProducerRecord<>(RoundTopics.MANIFESTS, RoundTopics.manifestKey(job, round.round,
                round.attempt, 1), "forged".getBytes(StandardCharsets.UTF_8)));
        producer.flush();
        cluster.passTime(cluster.admin.market().attempt(job).commitDeadline());
        awaitVerdicts(job, 3, "ok");
        List<String> committee = cluster.admin.market().job(job).committee().stream().map(String::toLowerCase).toList();
        await("one Raft leader that the committee agrees on", 60, () -> {
            java.util.Set<String> leaders = new java.util.HashSet<>();
            for (int p = 1; p <= M; p++) {
                JsonNode l = cluster.json(cluster.get(p, "/node/jobs/" + job)).get("raftLeader");
                leaders.add(l == null || l.isNull() ? "none" : l.asText().toLowerCase());
            }
            return leaders.size() == 1 && committee.contains(leaders.iterator().next());
        });
        // nobody complains: the chain's clock is not moved to D2, the committee certifies on its own before it
        await("three reveals", 90, () -> cluster.admin.market().attempt(job).revealCount() == 3);
        AttemptState a = cluster.admin.market().attempt(job);
        assertEquals(AttemptState.Phase.CERTIFIED, a.phase());
        assertEquals(List.of(1, 2, 3), a.openedNodes());
        // the Raft leader posted the three signed openings from its log in one transaction, before the original D2
        var openings = mined(job, MarketEvent.OpeningVerified.class);
        assertEquals(3, openings.size());
        assertEquals(1, openings.stream().map(MarketEvents.Mined::transactionHash).distinct().count(), "one postOpenings");
        long certifiedAt = blockTime(openings.getFirst());
        assertTrue(certifiedAt > committed.commitDeadline() && certifiedAt < committed.complaintDeadline(),
                "certified at " + certifiedAt + ", after D1 " + committed.commitDeadline() + " and before D2 "
                        + committed.complaintDeadline());
        var closed = mined(job, MarketEvent.ComplaintsClosed.class);
        assertEquals(1, closed.size(), "the complaint window closed early");
        assertEquals(openings.getFirst().transactionHash(), closed.getFirst().transactionHash());
        assertEquals(certifiedAt, a.complaintDeadline(), "D2 moved to the certifying block");
        assertEquals(committed.openingDeadline() - (committed.complaintDeadline() - certifiedAt), a.openingDeadline());
        // the leader also posted the three reveals in one transaction, each with its node's key for round 1
        var reveals = mined(job, MarketEvent.PartialRevealed.class);
        assertEquals(3, reveals.size());
        assertEquals(1, reveals.stream().map(MarketEvents.Mined::transactionHash).distinct().count(), "one revealPartials");
        var nextKeys = mined(job, MarketEvent.RoundKeyPosted.class).stream().filter(k -> k.event().round() == 1).toList();
        assertEquals(List.of(1, 2, 3), nextKeys.stream().map(k -> k.event().k()).sorted().toList(), "round 1's keys");
        assertTrue(nextKeys.stream().allMatch(k -> k.transactionHash().equals(reveals.getFirst().transactionHash())),
                "the next round's keys came with the reveals");
        String batcher = senderOf(openings.getFirst());
        assertTrue(committee.contains(batcher), batcher);
        int batcherProcess = processOfAddress(batcher);
        assertTrue(cluster.json(cluster.get(batcherProcess, "/node/jobs/" + job)).get("actions").toString()
                .contains("\"action\":\"openings-early\""));
        assertEquals(1.0, metric(batcherProcess, "zkpfl_node_early_certifications_total", ""), "the leader counted it");
        for (int p = 1; p <= M; p++) {
            assertTrue(metric(p, "zkpfl_node_rounds_total", "step=\"opening-signed-early\"") >= 1,
                    "process " + p + " signed its opening before D2");
        }
        round.checkRevealsAndAwaitResult(List.of());
        await("round 0's keys deleted", 30, () -> secretsLeft(job, 0) == 0);
        assertEquals(M, secretsLeft(job, 1), "each node keeps the secret of the round-1 key its reveal carried");
        for (int k = 1; k <= M; k++) {
            JsonNode status = cluster.json(cluster.get(processOf(job, k), "/node/jobs/" + job));
            assertEquals(k, status.get("k").asInt());
            assertFalse(status.toString().contains("secret"), status.toString());
        }
    }

    @Test
    @Order(3)
    void aBadShareIsComplainedAboutAndTheOthersCertifyWithoutItsTrainer() throws Exception {
        BigInteger job = createJob();
        Round round = new Round(job, 22);
        // trainer 2 sends node 3 a share that does not match its commitments
        round.commitAll(Map.of(2, 3), true);
        AttemptState committed = cluster.admin.market().attempt(job);
        cluster.passTime(committed.commitDeadline());
        String cheat = round.trainerAddress(2);
        await("complaint upheld and trainer 2 excluded", 90, () -> excludedOnChain(job, cheat));
        assertEquals(AttemptState.Phase.COMMITTING, cluster.admin.market().attempt(job).phase(), "no certification before D2");
        assertEquals(committed.complaintDeadline(), cluster.admin.market().attempt(job).complaintDeadline(), "D2 stays");
        cluster.passTime(cluster.admin.market().attempt(job).complaintDeadline());
        await("three reveals", 90, () -> cluster.admin.market().attempt(job).revealCount() == 3);
        // the complaint path: certified after D2, over the set without the cheat, with no early close
        assertTrue(mined(job, MarketEvent.ComplaintsClosed.class).isEmpty());
        for (var opening : mined(job, MarketEvent.OpeningVerified.class)) {
            assertTrue(blockTime(opening) > committed.complaintDeadline(), "opened after D2");
        }
        assertEquals(List.of(trainers.get(0).getAddress().toLowerCase(), trainers.get(2).getAddress().toLowerCase()),
                cluster.admin.market().attempt(job).included().stream().map(String::toLowerCase).toList());
        round.checkRevealsAndAwaitResult(List.of(2));
        JsonNode node3 = cluster.json(cluster.get(processOf(job, 3), "/node/jobs/" + job));
        assertTrue(node3.get("actions").toString().contains("complain"), node3.toString());
    }

    @Test
    @Order(4)
    void aNodeKilledMidRoundResumesWithoutRepeatingATransaction() throws Exception {
        BigInteger job = createJob();
        Round round = new Round(job, 33);
        String node2 = cluster.operators.get(1).getAddress();
        int k2 = cluster.admin.market().job(job).committee().stream().map(String::toLowerCase).toList()
                .indexOf(node2.toLowerCase()) + 1;
        round.commitAll(Map.of(), true);
        cluster.killHard(2);
        cluster.passTime(cluster.admin.market().attempt(job).commitDeadline());
        cluster.start(2);
        awaitVerdicts(job, 3, "ok");
        cluster.passTime(cluster.admin.market().attempt(job).complaintDeadline());
        await("node 2 opened", 90, () -> cluster.admin.market().attempt(job).openedNodes().contains(k2));
        cluster.killHard(2);
        cluster.start(2);
        await("three reveals", 90, () -> cluster.admin.market().attempt(job).revealCount() == 3);
        round.checkRevealsAndAwaitResult(List.of());
        assertEquals(1, count(job, MarketEvent.RoundKeyPosted.class, node2), "one round key from node 2");
        assertEquals(1, count(job, MarketEvent.PartialRevealed.class, node2), "one reveal from node 2");
        assertEquals(1, count(job, MarketEvent.OpeningVerified.class, node2), "one opening from node 2");
    }

    @Test
    @Order(5)
    void withKafkaStoppedTheNodesTakeTheEnvelopesFromIpfs() throws Exception {
        BigInteger job = createJob();
        Round round = new Round(job, 44);
        var kafka = cluster.stack.faults(Component.KAFKA);
        kafka.kill();
        try {
            await("readiness names Kafka as down", 30, () -> {
                HttpResponse<String> r = cluster.get(1, "/q/health/ready");
                return r.statusCode() == 503
                        && cluster.json(r).get("checks").get(0).get("data").get("kafka").asText().equals("DOWN");
            });
            round.commitAll(Map.of(), false);
            cluster.passTime(cluster.admin.market().attempt(job).commitDeadline());
        } finally {
            kafka.restart();
        }
        await("readiness back up", 60, () -> cluster.get(1, "/q/health/ready").statusCode() == 200);
        // the manifests were held back by the trainers and arrive once Kafka is back; the envelopes come from IPFS
        round.publishManifests();
        awaitVerdicts(job, 3, "ok");
        for (int p = 1; p <= M; p++) {
            String metrics = cluster.get(p, "/q/metrics").body();
            double fromIpfs = metrics.lines().filter(l -> l.startsWith("zkpfl_node_received_total")
                    && l.contains("kind=\"envelope\"") && l.contains("source=\"ipfs\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertTrue(fromIpfs >= 3, "node " + p + " took its 3 envelopes from IPFS: " + fromIpfs);
        }
        cluster.passTime(cluster.admin.market().attempt(job).complaintDeadline());
        await("three reveals", 90, () -> cluster.admin.market().attempt(job).revealCount() == 3);
        round.checkRevealsAndAwaitResult(List.of());
    }

    @Test
    @Order(6)
    void aTrainerThatCommitsAndNeverDeliversIsExcludedByTheCommitteeAndNotPaid() throws Exception {
        BigInteger job = createJob();
        Round round = new Round(job, 66);
        // trainer 3 commits on chain and goes offline: no manifest, no envelope, on Kafka or IPFS
        round.commitAll(Map.of(), Delivery.KAFKA_AND_IPFS, java.util.Set.of(3));
        String silent = round.trainerAddress(3);
        AttemptState a = cluster.admin.market().attempt(job);
        cluster.passTime(a.commitDeadline());
        // the nodes wait zkpfl.intake.missing-grace (3 s of chain time) for late envelopes, then vote; a block
        // after it lets them see the grace is over
        cluster.passTime(a.commitDeadline() + 4);
        await("a committee majority excludes the silent trainer", 90, () -> excludedOnChain(job, silent));
        assertTrue(cluster.now() <= a.complaintDeadline(), "excluded before D2, so the round does not wait for it");
        for (int p = 1; p <= M; p++) {
            int node = p;
            await("node " + p + "'s verdicts", 60, () -> {
                JsonNode v = cluster.json(cluster.get(node, "/node/jobs/" + job)).get("verdicts");
                return v.size() == 3 && v.path("1").asText().equals("ok") && v.path("2").asText().equals("ok")
                        && v.path("3").asText().equals("missing");
            });
        }
        assertTrue(count(job, MarketEvent.ExclusionVoted.class, silent) >= 2, "a majority of the 3 nodes voted");
        cluster.passTime(a.complaintDeadline());
        await("three reveals", 90, () -> cluster.admin.market().attempt(job).revealCount() == 3);
        assertEquals(List.of(round.trainerAddress(1).toLowerCase(), round.trainerAddress(2).toLowerCase()),
                cluster.admin.market().attempt(job).included().stream().map(String::toLowerCase).toList());
        round.checkRevealsAndAwaitResult(List.of(3));
        // the evaluator's result pays the included trainers only (accuracy shares in the order of `included`)
        cluster.client(cluster.actor("evaluator")).market().postRoundResult(job, Hash.sha3(new byte[] {66}), 500_000,
                List.of(BigInteger.valueOf(600_000), BigInteger.valueOf(400_000)));
        assertTrue(count(job, MarketEvent.RewardCredited.class, round.trainerAddress(1)) == 1, "trainer 1 paid");
        assertTrue(count(job, MarketEvent.RewardCredited.class, round.trainerAddress(2)) == 1, "trainer 2 paid");
        assertEquals(0, count(job, MarketEvent.RewardCredited.class, silent), "the silent trainer is not paid");
    }

    @Test
    @Order(7)
    void envelopesOverOneMebibyteReachTheNodesThroughTheIpfsFallback() throws Exception {
        int bucket = 1 << 15;
        io.zkpfl.zk.kzg.Srs big = cluster.srs(bucket);
        VssParameters vss = new VssParameters(T, M, bucket - M, bucket);
        BigInteger job = createJob(bucket);
        Round round = new Round(job, 77, vss, big);
        double[] before = new double[M];
        for (int p = 1; p <= M; p++) {
            before[p - 1] = envelopesFromIpfs(p);
        }
        // manifests on Kafka, envelopes only on IPFS: every node must take its three from the fallback
        round.commitAll(Map.of(), Delivery.MANIFESTS_ON_KAFKA, java.util.Set.of());
        assertTrue(round.envelopeSizes.stream().allMatch(n -> n > (1 << 20)), "envelopes " + round.envelopeSizes);
        assertTrue(round.envelopeCids.stream().allMatch(c -> c.codec() == Cid.DAG_PB), "named as chunked files");
        cluster.passTime(cluster.admin.market().attempt(job).commitDeadline());
        awaitVerdicts(job, 3, "ok", 240);
        for (int p = 1; p <= M; p++) {
            assertTrue(envelopesFromIpfs(p) - before[p - 1] >= 3, "node " + p + " took its 3 envelopes from IPFS");
        }
        cluster.passTime(cluster.admin.market().attempt(job).complaintDeadline());
        await("three reveals", 240, () -> cluster.admin.market().attempt(job).revealCount() == 3);
        round.checkRevealsAndAwaitResult(List.of());
    }

    @Test
    @Order(8)
    void theRaftLeaderKilledMidRoundIsReplacedAndTheRoundCompletesWithoutDuplicateCalls() throws Exception {
        BigInteger job = createJob();
        Round round = new Round(job, 88);
        round.commitAll(Map.of(), true);
        // the leader dies before D1: with one member down the committee cannot certify early, the survivors'
        // openings (handed over during the complaint window) wait for D2
        String leader = awaitLeader(job, List.of(1, 2, 3), "");
        int victim = processOfAddress(leader);
        List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3));
        survivors.remove(Integer.valueOf(victim));
        cluster.killHard(victim);
        String successor = awaitLeader(job, survivors, leader);
        cluster.passTime(cluster.admin.market().attempt(job).commitDeadline());
        for (int p : survivors) {
            int node = p;
            await("process " + p + "'s verdicts", 90, () -> {
                JsonNode v = cluster.json(cluster.get(node, "/node/jobs/" + job)).get("verdicts");
                return v.size() == 3 && v.path("1").asText().equals("ok") && v.path("2").asText().equals("ok")
                        && v.path("3").asText().equals("ok");
            });
            await("process " + p + " signs before D2", 60,
                    () -> metric(node, "zkpfl_node_rounds_total", "step=\"opening-signed-early\"") >= 1);
        }
        assertEquals(AttemptState.Phase.COMMITTING, cluster.admin.market().attempt(job).phase(), "two of three: no early batch");
        List<String> committee = cluster.admin.market().job(job).committee().stream().map(String::toLowerCase).toList();
        cluster.passTime(cluster.admin.market().attempt(job).complaintDeadline());
        await("the two survivors open and reveal", 90, () -> cluster.admin.market().attempt(job).revealCount() == 2);
        assertEquals(AttemptState.Phase.CERTIFIED, cluster.admin.market().attempt(job).phase());
        assertFalse(cluster.admin.market().attempt(job).openedNodes().contains(committee.indexOf(leader) + 1));
        round.checkReveals(List.of(), 2);
        // after D3 only the Raft leader acts at once; the others wait grace periods of chain time, which this
        // test does not let pass, so the result appears only if the successor makes the call
        cluster.passTime(cluster.admin.market().attempt(job).openingDeadline());
        await("the successor's opening of C_A", 60,
                () -> cluster.admin.market().attempt(job).phase() == AttemptState.Phase.AGGREGATED);
        var aggregated = mined(job, MarketEvent.RoundAggregated.class);
        assertEquals(1, aggregated.size(), "one result opening");
        assertEquals(successor, senderOf(aggregated.getFirst()), "the new leader posted the result");
        // and batched the survivors' openings once it gave up waiting for the dead node's
        var openings = mined(job, MarketEvent.OpeningVerified.class);
        assertEquals(2, openings.size());
        assertEquals(1, openings.stream().map(MarketEvents.Mined::transactionHash).distinct().count(), "one postOpenings");
        assertEquals(successor, senderOf(openings.getFirst()));
        for (int p : survivors) {
            String node = cluster.operators.get(p - 1).getAddress();
            assertEquals(1, count(job, MarketEvent.OpeningVerified.class, node), "one opening from " + node);
            assertEquals(1, count(job, MarketEvent.PartialRevealed.class, node), "one reveal from " + node);
            assertEquals(1, count(job, MarketEvent.RewardCredited.class, node), node + " paid once");
            String actions = cluster.json(cluster.get(p, "/node/jobs/" + job)).get("actions").toString();
            assertEquals(node.equalsIgnoreCase(successor), actions.contains("\"action\":\"result\""),
                    "only the leader tried the result call: " + actions);
        }
        // the contract slashes the dead leader for its missing opening and pays it nothing
        assertEquals(0, count(job, MarketEvent.RewardCredited.class, leader));
        assertEquals(1, count(job, MarketEvent.FaultProven.class, leader));
        // restarted, it rejoins the committee's Raft group under the leader elected without it
        cluster.start(victim);
        assertEquals(successor, awaitLeader(job, List.of(1, 2, 3), ""));
    }

    // ------------------------------------------------------------------ the trainers' side

    /** How the trainers of a {@link Round} deliver. */
    enum Delivery {
        /** manifests and envelopes on Kafka, envelopes also on IPFS */
        KAFKA_AND_IPFS,
        /** manifests on Kafka, envelopes only on IPFS (the nodes' fallback) */
        MANIFESTS_ON_KAFKA,
        /** envelopes on IPFS; the manifests are held back for {@link Round#publishManifests()} */
        IPFS_ONLY
    }

    /** One attempt played by the three trainers. */
    final class Round {
        final BigInteger job;
        final int round;
        final int attempt;
        final SplittableRandom rng;
        final Map<Integer, Dealing> dealings = new TreeMap<>();
        final Map<Integer, Fr[]> encoded = new TreeMap<>();
        final Map<Integer, byte[]> manifests = new TreeMap<>();
        final List<G1> keys = new ArrayList<>();
        final VssParameters vss;
        final io.zkpfl.zk.kzg.Srs srs;
        final List<Integer> envelopeSizes = new ArrayList<>();
        final List<Cid> envelopeCids = new ArrayList<>();

        Round(BigInteger job, long seed) throws Exception {
            this(job, seed, VSS, cluster.srs);
        }

        /** A round of a job whose bucket is {@code vss.length()}, dealt over {@code srs}. */
        Round(BigInteger job, long seed, VssParameters vss, io.zkpfl.zk.kzg.Srs srs) throws Exception {
            this.job = job;
            this.vss = vss;
            this.srs = srs;
            JobState js = cluster.admin.market().job(job);
            this.round = js.round();
            this.attempt = js.attempt();
            this.rng = new SplittableRandom(seed);
            await("all round keys", 60, () -> roundKeys(job, round).size() == M);
            keys.addAll(roundKeys(job, round).values());
        }

        String trainerAddress(int i) {
            return cluster.admin.market().job(job).trainers().get(i - 1);
        }

        /** Every trainer deals, seals, publishes and commits; {@code corrupt} maps trainer i to the node it cheats. */
        void commitAll(Map<Integer, Integer> corrupt, boolean viaKafka) throws Exception {
            commitAll(corrupt, viaKafka ? Delivery.KAFKA_AND_IPFS : Delivery.IPFS_ONLY, java.util.Set.of());
        }

        /**
         * Every trainer deals, seals and commits on chain; the manifests (on Kafka unless {@code delivery} is
         * IPFS_ONLY, where the test publishes them later) and envelopes travel as {@code delivery} says, except for
         * the {@code offline} trainers, which commit and then deliver nothing anywhere.
         */
        void commitAll(Map<Integer, Integer> corrupt, Delivery delivery, java.util.Set<Integer> offline)
                throws Exception {
            UpdateEncoder encoder = new UpdateEncoder(new ClipPolicy(1e6, 1.0, 1000));
            VssDealer dealer = new VssDealer(srs, vss);
            List<String> joined = cluster.admin.market().job(job).trainers();
            for (int i = 1; i <= joined.size(); i++) {
                int idx = i;
                Credentials trainer = trainers.stream().filter(c -> c.getAddress().equalsIgnoreCase(joined.get(idx - 1)))
                        .findFirst().orElseThrow();
                float[] update = new float[vss.modelLength()];
                for (int j = 0; j < update.length; j++) {
                    update[j] = (float) ((rng.nextDouble() - 0.5) * 2.4);
                }
                int n = 1 + rng.nextInt(900);
                Fr[] u = encoder.encode(update, n);
                Dealing d = dealer.deal(u, new java.util.Random(rng.nextLong()));
                encoded.put(i, u);
                dealings.put(i, d);
                List<Cid> cids = new ArrayList<>();
                List<byte[]> envelopes = new ArrayList<>();
                for (int k = 1; k <= M; k++) {
                    Share share = d.shareFor(k);
                    if (corrupt.getOrDefault(i, 0) == k) {
                        Fr[] v = share.values().clone();
                        v[1] = v[1].add(Fr.ONE);
                        share = new Share(k, v, share.blinding());
                    }
                    byte[] env = ShareEnvelope.seal(keys.get(k - 1), new EnvelopeTag(job, round, attempt, i, k), share,
                            new java.util.Random(rng.nextLong())).toBytes();
                    // named before the upload, as the trainer names it in the manifest it commits (ADR 0098)
                    Cid cid = Cid.ofFile(env);
                    if (!offline.contains(i)) {
                        assertEquals(cid, ipfs.add(new ByteArrayInputStream(env),
                                KuboClient.AddOptions.defaults().withCidVersion(1)).cid(), "the store's CID of "
                                + env.length + " bytes");
                    }
                    cids.add(cid);
                    envelopes.add(env);
                    envelopeSizes.add(env.length);
                    envelopeCids.add(cid);
                }
                EnvelopeManifest manifest = new EnvelopeManifest(job, round, attempt, i, n, d.commitments(), cids);
                if (!offline.contains(i)) {
                    manifests.put(i, manifest.toBytes());
                }
                if (delivery != Delivery.IPFS_ONLY && !offline.contains(i)) {
                    producer.send(new ProducerRecord<>(RoundTopics.MANIFESTS,
                            RoundTopics.manifestKey(job, round, attempt, i), manifest.toBytes()));
                    if (delivery == Delivery.KAFKA_AND_IPFS) {
                        for (int k = 1; k <= M; k++) {
                            producer.send(new ProducerRecord<>(RoundTopics.ENVELOPES,
                                    RoundTopics.envelopeKey(job, round, attempt, i, k), envelopes.get(k - 1)));
                        }
                    }
                    producer.flush();
                }
                cluster.client(trainer).market().commitRound(job, List.of(KzgSolidityVerifier.commitmentWords(d.commitments())),
                        manifest.digest(), n);
            }
        }

        void publishManifests() {
            manifests.forEach((i, m) -> producer.send(new ProducerRecord<>(RoundTopics.MANIFESTS,
                    RoundTopics.manifestKey(job, round, attempt, i), m)));
            producer.flush();
        }

        /**
         * Reads the reveals the nodes posted (CIDs from PartialRevealed, bytes from IPFS), checks that every pair
         * combines to the exact sum of the included trainers' quantised updates and commits to the contract's C_A,
         * then lets the chain pass D3 and waits for the nodes to publish the opening of C_A.
         */
        void checkRevealsAndAwaitResult(List<Integer> excluded) throws Exception {
            checkReveals(excluded, M);
            // after D3 the nodes combine the reveals themselves and post the opening of C_A, which pays them
            cluster.passTime(cluster.admin.market().attempt(job).openingDeadline());
            await("the nodes' opening of C_A", 60,
                    () -> cluster.admin.market().attempt(job).phase() == AttemptState.Phase.AGGREGATED);
            for (String node : cluster.admin.market().job(job).committee()) {
                assertTrue(cluster.admin.market().claimable(node, cluster.addresses.token()).signum() > 0, node + " is paid");
            }
            assertEquals(AttemptState.Phase.AGGREGATED, cluster.admin.market().attempt(job).phase());
        }

        /**
         * Checks that the {@code reveals} partials the nodes posted combine, any two of them, to the exact sum of the
         * included trainers' quantised updates and commit to the contract's C_A.
         */
        void checkReveals(List<Integer> excluded, int reveals) throws Exception {
            List<Share> partials = new ArrayList<>();
            for (var e : cluster.admin.events().events(MarketEvent.PartialRevealed.class, job, cluster.deployBlock)) {
                if (e.round() != round || e.attempt() != attempt) {
                    continue;
                }
                Reveal r = Reveal.fromBytes(ipfs.catVerifiedBytes(Cid.fromBytes(e.cid()), 1 << 24));
                assertEquals(job, r.jobId());
                assertEquals(cluster.admin.market().job(job).committee().get(r.partial().node() - 1).toLowerCase(),
                        e.node().toLowerCase(), "node k's reveal holds its own partial S_k");
                partials.add(r.partial());
            }
            assertEquals(reveals, partials.size());
            List<List<G1>> included = new ArrayList<>();
            Fr[] expected = new Fr[vss.modelLength()];
            java.util.Arrays.fill(expected, Fr.ZERO);
            for (var d : dealings.entrySet()) {
                if (!excluded.contains(d.getKey())) {
                    included.add(d.getValue().commitments());
                    Fr[] u = encoded.get(d.getKey());
                    for (int j = 0; j < expected.length; j++) {
                        expected[j] = expected[j].add(u[j]);
                    }
                }
            }
            CommitmentSums sums = CommitmentSums.of(included);
            Reconstruction rec = new Reconstruction(srs, vss, sums);
            Share a = null;
            for (int x = 0; x < partials.size(); x++) {
                for (int y = x + 1; y < partials.size(); y++) {
                    a = rec.combine(List.of(partials.get(x), partials.get(y)));
                    for (int j = 0; j < expected.length; j++) {
                        assertEquals(expected[j], a.values()[j], "coordinate " + j);
                    }
                }
            }
            MarketClient.OpeningPoint ca = cluster.admin.market().resultPoint(job, io.zkpfl.protocol.round.ResultBinding.aggregateHash(a));
            assertEquals(List.of(KzgSolidityVerifier.commitmentWords(List.of(Kzg.commit(srs, a.values(),
                    a.blinding())))), List.of(ca.x(), ca.y()), "Com(A; b_A) is the contract's C_A");
        }
    }

    // ------------------------------------------------------------------ helpers

    BigInteger createJob() throws Exception {
        return createJob(NodeCluster.BUCKET);
    }

    BigInteger createJob(int bucket) throws Exception {
        return createJob(bucket, 1);
    }

    BigInteger createJob(int bucket, int rounds) throws Exception {
        Credentials owner = cluster.actor("owner-" + cluster.addresses.market());
        ChainClient oc = cluster.client(owner);
        // the nodes serve 4 committees at once: the owner stops the earlier tests' jobs and the nodes release them
        for (BigInteger earlier : jobs) {
            if (cluster.admin.market().job(earlier).status() == JobState.Status.ACTIVE) {
                oc.market().stopJob(earlier);
            }
        }
        for (BigInteger earlier : jobs) {
            List<String> committee = cluster.admin.market().job(earlier).committee();
            await("the nodes release job " + earlier, 60, () -> committee.stream().allMatch(node -> {
                try {
                    return count(earlier, MarketEvent.Released.class, node) == 1;
                } catch (Exception e) {
                    return false;
                }
            }));
        }
        cluster.admin.token().mint(owner.getAddress(), tokens(1_000));
        JobParams p = new JobParams(owner.getAddress(), cluster.addresses.token(), tokens(1_000),
                cluster.actor("evaluator").getAddress(), Hash.sha3("initial model".getBytes(StandardCharsets.UTF_8)),
                BigInteger.valueOf(bucket), BigInteger.valueOf(rounds), BigInteger.valueOf(M), BigInteger.valueOf(T),
                BigInteger.TWO, BigInteger.valueOf(8), BigInteger.valueOf(1000), BigInteger.ONE.shiftLeft(16),
                BigInteger.valueOf(900_000), BigInteger.valueOf(500_000), BigInteger.valueOf(600),
                BigInteger.valueOf(600), BigInteger.valueOf(600), BigInteger.valueOf(600), BigInteger.valueOf(600),
                BigInteger.valueOf(nonce++), BigInteger.valueOf(cluster.now() + 3_600), new byte[32],
                io.zkpfl.contracts.JobSignature.evaluatorVersion(io.zkpfl.contracts.JobSignature.DEFAULT_EVALUATOR_RELEASE), BigInteger.ZERO, BigInteger.ZERO);
        oc.token().approve(cluster.addresses.token(), cluster.addresses.market(), tokens(1_000));
        BigInteger job = oc.market().createJob(p, oc.market().signJob(p, owner));
        jobs.add(job);
        for (Credentials t : trainers) {
            cluster.client(t).market().join(job);
        }
        return job;
    }

    /** Job {@code job}'s {@code type} events since the cluster's deployment, with their transactions. */
    static <E extends MarketEvent> List<MarketEvents.Mined<E>> mined(BigInteger job, Class<E> type) {
        return cluster.admin.events().mined(type, job, cluster.deployBlock);
    }

    static Map<Integer, G1> roundKeys(BigInteger job, int round) {
        Map<Integer, G1> out = new TreeMap<>();
        for (var e : cluster.admin.events().events(MarketEvent.RoundKeyPosted.class, job, cluster.deployBlock)) {
            if (e.round() == round) {
                out.put(e.k(), Points.point(e.x(), e.y()));
            }
        }
        return out;
    }

    /** The accounts an event names in its indexed address arguments. */
    static List<String> accounts(MarketEvent e) {
        return switch (e) {
            case MarketEvent.OpeningVerified v -> List.of(v.node());
            case MarketEvent.PartialRevealed v -> List.of(v.node());
            case MarketEvent.RoundKeyPosted v -> List.of(v.node());
            case MarketEvent.RewardCredited v -> List.of(v.account());
            case MarketEvent.Released v -> List.of(v.account());
            case MarketEvent.FaultProven v -> List.of(v.offender());
            case MarketEvent.ExclusionVoted v -> List.of(v.node(), v.trainer());
            case MarketEvent.TrainerExcluded v -> List.of(v.trainer());
            default -> throw new IllegalArgumentException("no accounts in " + e);
        };
    }

    /** How many of job {@code job}'s {@code type} events name {@code account}. */
    static long count(BigInteger job, Class<? extends MarketEvent> type, String account) {
        return cluster.admin.events().events(type, job, cluster.deployBlock).stream()
                .filter(e -> accounts(e).stream().anyMatch(account::equalsIgnoreCase)).count();
    }

    /** The process (1..3) whose operator is committee member k of {@code job}. */
    static int processOf(BigInteger job, int k) {
        String a = cluster.admin.market().job(job).committee().get(k - 1);
        for (int p = 1; p <= M; p++) {
            if (cluster.operators.get(p - 1).getAddress().equalsIgnoreCase(a)) {
                return p;
            }
        }
        throw new IllegalStateException(a + " is none of the three operators");
    }

    /** The leader that every process in {@code processes} reports for {@code job}, once they agree on one other than {@code not}. */
    static String awaitLeader(BigInteger job, List<Integer> processes, String not) {
        List<String> committee = cluster.admin.market().job(job).committee().stream().map(String::toLowerCase).toList();
        String[] agreed = new String[1];
        await("one Raft leader that processes " + processes + " agree on", 90, () -> {
            java.util.Set<String> leaders = new java.util.HashSet<>();
            for (int p : processes) {
                JsonNode l = cluster.json(cluster.get(p, "/node/jobs/" + job)).get("raftLeader");
                leaders.add(l == null || l.isNull() ? "none" : l.asText().toLowerCase());
            }
            agreed[0] = leaders.iterator().next();
            return leaders.size() == 1 && committee.contains(agreed[0]) && !agreed[0].equalsIgnoreCase(not);
        });
        return agreed[0];
    }

    /** The timestamp of the block that holds {@code log}. */
    static long blockTime(MarketEvents.Mined<?> mined) {
        try {
            return cluster.web3j.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                            BigInteger.valueOf(mined.event().block())), false).send().getBlock().getTimestamp()
                    .longValue();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The sum of process p's Prometheus samples of meter {@code name} whose labels contain {@code label}. */
    static double metric(int p, String name, String label) {
        return cluster.get(p, "/q/metrics").body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The sender (lower case) of the transaction that emitted {@code log}. */
    static String senderOf(MarketEvents.Mined<?> mined) {
        try {
            return cluster.web3j.ethGetTransactionByHash(mined.transactionHash()).send().getTransaction()
                    .orElseThrow().getFrom().toLowerCase();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The process (1..3) run by operator {@code address}. */
    static int processOfAddress(String address) {
        for (int p = 1; p <= M; p++) {
            if (cluster.operators.get(p - 1).getAddress().equalsIgnoreCase(address)) {
                return p;
            }
        }
        throw new IllegalStateException(address + " is none of the three operators");
    }

    /** Envelopes process p took from IPFS so far (its zkpfl_node_received_total counter). */
    static double envelopesFromIpfs(int p) {
        return cluster.get(p, "/q/metrics").body().lines().filter(l -> l.startsWith("zkpfl_node_received_total")
                        && l.contains("kind=\"envelope\"") && l.contains("source=\"ipfs\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static boolean excludedOnChain(BigInteger job, String trainer) {
        try {
            return count(job, MarketEvent.TrainerExcluded.class, trainer) > 0;
        } catch (Exception e) {
            return false;
        }
    }

    static void awaitVerdicts(BigInteger job, int count, String verdict) {
        awaitVerdicts(job, count, verdict, 90);
    }

    static void awaitVerdicts(BigInteger job, int count, String verdict, int seconds) {
        for (int k = 1; k <= M; k++) {
            int node = k;
            await("node " + k + "'s verdicts", seconds, () -> {
                HttpResponse<String> r = cluster.get(node, "/node/jobs/" + job);
                if (r.statusCode() != 200) {
                    return false;
                }
                JsonNode v = cluster.json(r).get("verdicts");
                if (v.size() < count) {
                    return false;
                }
                v.forEach(x -> assertEquals(verdict, x.asText(), "node " + node + ": " + v));
                return true;
            });
        }
    }

    /** Round-key secrets still stored by the three nodes for {@code job}. */
    /** How many secrets of job {@code job}'s round keys up to round {@code upTo} the nodes still hold. */
    static int secretsLeft(BigInteger job, int upTo) {
        int left = 0;
        for (var p : cluster.nodeProperties) {
            try (Connection c = DriverManager.getConnection(p.get("quarkus.datasource.jdbc.url"),
                    p.get("quarkus.datasource.username"), p.get("quarkus.datasource.password"));
                 var st = c.prepareStatement("SELECT count(*) FROM " + p.get("zkpfl.node.schema")
                         + ".round_key WHERE job_id = ? AND round <= ? AND secret IS NOT NULL")) {
                st.setBigDecimal(1, new java.math.BigDecimal(job));
                st.setInt(2, upTo);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    left += rs.getInt(1);
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return left;
    }

    static void await(String what, int seconds, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // a node restarting or a dependency coming back: ask again
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        StringBuilder logs = new StringBuilder();
        for (var n : cluster.nodes) {
            logs.append('\n').append(n.log());
        }
        throw new AssertionError("timed out waiting for " + what + "; node logs:" + logs);
    }
}
