package io.zkpfl.node;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.contracts.AttemptState;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.JobState;
import io.zkpfl.contracts.generated.JobMarket;
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
import io.zkpfl.zk.kzg.Opening;
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
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

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
            cluster.admin.mint(c.getAddress(), NodeCluster.TRAINER_STAKE.multiply(BigInteger.TEN));
            // twice the minimum: a trainer slashed for a bad share stays eligible for the later jobs
            cluster.client(c).stakeAsTrainer(NodeCluster.TRAINER_STAKE.multiply(BigInteger.TWO));
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
        assertEquals(4, cluster.admin.capacityOf(cluster.operators.getFirst().getAddress()));
        HttpResponse<String> bad = cluster.post(2, "/admin/registration", "{\"stake\":\"lots\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(cluster.json(bad).get("detail").asText().contains("decimal integer"), bad.body());
    }

    @Test
    @Order(2)
    void aRoundIsCertifiedAndAnyTwoRevealsCombineToTheExactSum() throws Exception {
        BigInteger job = createJob();
        Round round = new Round(job, 11);
        round.commitAll(Map.of(), true);
        cluster.passTime(cluster.admin.attempt(job).commitDeadline());
        awaitVerdicts(job, 3, "ok");
        cluster.passTime(cluster.admin.attempt(job).complaintDeadline());
        await("three reveals", 90, () -> cluster.admin.attempt(job).revealCount() == 3);
        assertEquals(AttemptState.Phase.CERTIFIED, cluster.admin.attempt(job).phase());
        assertEquals(List.of(1, 2, 3), cluster.admin.attempt(job).openedNodes());
        round.checkRevealsAndOpenResult(List.of());
        await("round keys deleted", 30, () -> secretsLeft(job) == 0);
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
        cluster.passTime(cluster.admin.attempt(job).commitDeadline());
        String cheat = round.trainerAddress(2);
        await("complaint upheld and trainer 2 excluded", 90, () -> excludedOnChain(job, cheat));
        cluster.passTime(cluster.admin.attempt(job).complaintDeadline());
        await("three reveals", 90, () -> cluster.admin.attempt(job).revealCount() == 3);
        assertEquals(List.of(trainers.get(0).getAddress().toLowerCase(), trainers.get(2).getAddress().toLowerCase()),
                cluster.admin.attempt(job).included().stream().map(String::toLowerCase).toList());
        round.checkRevealsAndOpenResult(List.of(2));
        JsonNode node3 = cluster.json(cluster.get(processOf(job, 3), "/node/jobs/" + job));
        assertTrue(node3.get("actions").toString().contains("complain"), node3.toString());
    }

    @Test
    @Order(4)
    void aNodeKilledMidRoundResumesWithoutRepeatingATransaction() throws Exception {
        BigInteger job = createJob();
        Round round = new Round(job, 33);
        String node2 = cluster.operators.get(1).getAddress();
        int k2 = cluster.admin.job(job).committee().stream().map(String::toLowerCase).toList()
                .indexOf(node2.toLowerCase()) + 1;
        round.commitAll(Map.of(), true);
        cluster.killHard(2);
        cluster.passTime(cluster.admin.attempt(job).commitDeadline());
        cluster.start(2);
        awaitVerdicts(job, 3, "ok");
        cluster.passTime(cluster.admin.attempt(job).complaintDeadline());
        await("node 2 opened", 90, () -> cluster.admin.attempt(job).openedNodes().contains(k2));
        cluster.killHard(2);
        cluster.start(2);
        await("three reveals", 90, () -> cluster.admin.attempt(job).revealCount() == 3);
        round.checkRevealsAndOpenResult(List.of());
        assertEquals(1, countLogs(job, JobMarket.ROUNDKEYPOSTED_EVENT, node2), "one round key from node 2");
        assertEquals(1, countLogs(job, JobMarket.PARTIALREVEALED_EVENT, node2), "one reveal from node 2");
    }

    @Test
    @Order(5)
    void withKafkaStoppedTheNodesTakeTheEnvelopesFromIpfs() throws Exception {
        BigInteger job = createJob();
        Round round = new Round(job, 44);
        var kafka = cluster.stack.faults(Component.KAFKA);
        kafka.kill();
        try {
            round.commitAll(Map.of(), false);
            cluster.passTime(cluster.admin.attempt(job).commitDeadline());
        } finally {
            kafka.restart();
        }
        // the manifests were held back by the trainers and arrive once Kafka is back; the envelopes come from IPFS
        round.publishManifests();
        awaitVerdicts(job, 3, "ok");
        cluster.passTime(cluster.admin.attempt(job).complaintDeadline());
        await("three reveals", 90, () -> cluster.admin.attempt(job).revealCount() == 3);
        round.checkRevealsAndOpenResult(List.of());
    }

    // ------------------------------------------------------------------ the trainers' side

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

        Round(BigInteger job, long seed) throws Exception {
            this.job = job;
            JobState js = cluster.admin.job(job);
            this.round = js.round();
            this.attempt = js.attempt();
            this.rng = new SplittableRandom(seed);
            await("all round keys", 60, () -> roundKeys(job, round).size() == M);
            keys.addAll(roundKeys(job, round).values());
        }

        String trainerAddress(int i) {
            return cluster.admin.job(job).trainers().get(i - 1);
        }

        /** Every trainer deals, seals, publishes and commits; {@code corrupt} maps trainer i to the node it cheats. */
        void commitAll(Map<Integer, Integer> corrupt, boolean viaKafka) throws Exception {
            UpdateEncoder encoder = new UpdateEncoder(new ClipPolicy(1e6, 1.0, 1000));
            VssDealer dealer = new VssDealer(cluster.srs, VSS);
            List<String> joined = cluster.admin.job(job).trainers();
            for (int i = 1; i <= joined.size(); i++) {
                int idx = i;
                Credentials trainer = trainers.stream().filter(c -> c.getAddress().equalsIgnoreCase(joined.get(idx - 1)))
                        .findFirst().orElseThrow();
                float[] update = new float[VSS.modelLength()];
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
                    Cid cid = ipfs.add(new ByteArrayInputStream(env), KuboClient.AddOptions.defaults().withCidVersion(1))
                            .cid();
                    cids.add(cid);
                    envelopes.add(env);
                }
                EnvelopeManifest manifest = new EnvelopeManifest(job, round, attempt, i, n, d.commitments(), cids);
                manifests.put(i, manifest.toBytes());
                if (viaKafka) {
                    producer.send(new ProducerRecord<>(RoundTopics.MANIFESTS,
                            RoundTopics.manifestKey(job, round, attempt, i), manifest.toBytes()));
                    for (int k = 1; k <= M; k++) {
                        producer.send(new ProducerRecord<>(RoundTopics.ENVELOPES,
                                RoundTopics.envelopeKey(job, round, attempt, i, k), envelopes.get(k - 1)));
                    }
                    producer.flush();
                }
                cluster.client(trainer).commitRound(job, List.of(KzgSolidityVerifier.commitmentWords(d.commitments())),
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
         * combines to the exact sum of the included trainers' quantised updates, and opens C_A with it on chain.
         */
        void checkRevealsAndOpenResult(List<Integer> excluded) throws Exception {
            List<Share> partials = new ArrayList<>();
            for (Log log : logs(job, JobMarket.PARTIALREVEALED_EVENT)) {
                var e = JobMarket.getPartialRevealedEventFromLog(log);
                if (e.round.intValue() != round || e.attempt.intValue() != attempt) {
                    continue;
                }
                Reveal r = Reveal.fromBytes(ipfs.catVerifiedBytes(Cid.fromBytes(e.cid), 1 << 24));
                assertEquals(job, r.jobId());
                assertEquals(cluster.admin.job(job).committee().get(r.partial().node() - 1).toLowerCase(),
                        e.node.toLowerCase(), "node k's reveal holds its own partial S_k");
                partials.add(r.partial());
            }
            assertEquals(M, partials.size());
            List<List<G1>> included = new ArrayList<>();
            Fr[] expected = new Fr[VSS.modelLength()];
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
            Reconstruction rec = new Reconstruction(cluster.srs, VSS, sums);
            Share a = null;
            for (int x = 0; x < M; x++) {
                for (int y = x + 1; y < M; y++) {
                    a = rec.combine(List.of(partials.get(x), partials.get(y)));
                    for (int j = 0; j < expected.length; j++) {
                        assertEquals(expected[j], a.values()[j], "coordinate " + j);
                    }
                }
            }
            ChainClient.OpeningPoint ca = cluster.admin.resultPoint(job);
            assertEquals(List.of(KzgSolidityVerifier.commitmentWords(List.of(Kzg.commit(cluster.srs, a.values(),
                    a.blinding())))), List.of(ca.x(), ca.y()), "Com(A; b_A) is the contract's C_A");
            cluster.passTime(cluster.admin.attempt(job).openingDeadline());
            Opening o = Kzg.open(cluster.srs, a.values(), a.blinding(), Fr.of(ca.z()));
            cluster.admin.openResult(job, List.of(KzgSolidityVerifier.openingWords(List.of(o))));
            assertEquals(AttemptState.Phase.AGGREGATED, cluster.admin.attempt(job).phase());
        }
    }

    // ------------------------------------------------------------------ helpers

    BigInteger createJob() throws Exception {
        Credentials owner = cluster.actor("owner-" + cluster.addresses.market());
        ChainClient oc = cluster.client(owner);
        cluster.admin.mint(owner.getAddress(), tokens(1_000));
        JobParams p = new JobParams(owner.getAddress(), cluster.addresses.token(), tokens(1_000),
                cluster.actor("evaluator").getAddress(), Hash.sha3("initial model".getBytes(StandardCharsets.UTF_8)),
                BigInteger.valueOf(NodeCluster.BUCKET), BigInteger.ONE, BigInteger.valueOf(M), BigInteger.valueOf(T),
                BigInteger.TWO, BigInteger.valueOf(8), BigInteger.valueOf(1000), BigInteger.ONE.shiftLeft(16),
                BigInteger.valueOf(900_000), BigInteger.valueOf(500_000), BigInteger.valueOf(600),
                BigInteger.valueOf(600), BigInteger.valueOf(600), BigInteger.valueOf(600), BigInteger.valueOf(600),
                BigInteger.valueOf(nonce++), BigInteger.valueOf(cluster.now() + 3_600));
        oc.approve(cluster.addresses.token(), cluster.addresses.market(), tokens(1_000));
        BigInteger job = oc.createJob(p, oc.signJob(p, owner));
        for (Credentials t : trainers) {
            cluster.client(t).join(job);
        }
        return job;
    }

    static List<Log> logs(BigInteger job, org.web3j.abi.datatypes.Event event) {
        EthFilter f = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(cluster.deployBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(cluster.blockNumber())), cluster.addresses.market());
        f.addSingleTopic(org.web3j.abi.EventEncoder.encode(event));
        f.addSingleTopic(org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(job, 64));
        EthLog logs;
        try {
            logs = cluster.web3j.ethGetLogs(f).send();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<Log> out = new ArrayList<>();
        for (EthLog.LogResult<?> r : logs.getLogs()) {
            out.add((Log) r.get());
        }
        return out;
    }

    static Map<Integer, G1> roundKeys(BigInteger job, int round) {
        Map<Integer, G1> out = new TreeMap<>();
        for (Log log : logs(job, JobMarket.ROUNDKEYPOSTED_EVENT)) {
            var e = JobMarket.getRoundKeyPostedEventFromLog(log);
            if (e.round.intValue() == round) {
                out.put(e.k.intValue(), Points.point(e.x, e.y));
            }
        }
        return out;
    }

    static long countLogs(BigInteger job, org.web3j.abi.datatypes.Event event, String node) throws Exception {
        String topic = org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(org.web3j.utils.Numeric.toBigInt(node), 64);
        return logs(job, event).stream().filter(l -> l.getTopics().contains(topic)).count();
    }

    /** The process (1..3) whose operator is committee member k of {@code job}. */
    static int processOf(BigInteger job, int k) {
        String a = cluster.admin.job(job).committee().get(k - 1);
        for (int p = 1; p <= M; p++) {
            if (cluster.operators.get(p - 1).getAddress().equalsIgnoreCase(a)) {
                return p;
            }
        }
        throw new IllegalStateException(a + " is none of the three operators");
    }

    static boolean excludedOnChain(BigInteger job, String trainer) {
        try {
            String topic = org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(
                    org.web3j.utils.Numeric.toBigInt(trainer), 64);
            return logs(job, JobMarket.TRAINEREXCLUDED_EVENT).stream().anyMatch(l -> l.getTopics().contains(topic));
        } catch (Exception e) {
            return false;
        }
    }

    static void awaitVerdicts(BigInteger job, int count, String verdict) {
        for (int k = 1; k <= M; k++) {
            int node = k;
            await("node " + k + "'s verdicts", 90, () -> {
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
    static int secretsLeft(BigInteger job) {
        int left = 0;
        for (var p : cluster.nodeProperties) {
            try (Connection c = DriverManager.getConnection(p.get("quarkus.datasource.jdbc.url"),
                    p.get("quarkus.datasource.username"), p.get("quarkus.datasource.password"));
                 var st = c.prepareStatement("SELECT count(*) FROM " + p.get("zkpfl.node.schema")
                         + ".round_key WHERE job_id = ? AND secret IS NOT NULL")) {
                st.setBigDecimal(1, new java.math.BigDecimal(job));
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
