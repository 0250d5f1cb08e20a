package io.zkpfl.node;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.zkpfl.contracts.generated.StakingRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.TimeDuration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.web3j.crypto.Hash;

/**
 * Raft (Apache Ratis over gRPC) among each job's committee, over the endpoints the nodes registered on chain (their
 * host and port are the Raft listener's): one Raft group per job, whose leader makes the calls anyone may make
 * (docs/adr/0072-raft-leader.md). The group's log carries the members' signed openings of their C_k, which the
 * leader posts in one {@code postOpenings} transaction (docs/adr/0099-openings-batched-by-the-raft-leader.md).
 * Off unless {@code zkpfl.raft.port} is set; then the committee order decides and every node posts its own opening.
 * {@code zkpfl.raft.peers} ({@code address=host:port,...}) overrides the registered endpoints, for nodes whose
 * registration carries no Raft address (the demo's dev nodes).
 */
@ApplicationScoped
public class CommitteeRaft {

    private static final Logger LOG = Logger.getLogger(CommitteeRaft.class);

    private final Optional<Integer> port;
    private final Path storage;
    private final Chain chain;
    private final String me;
    private final AtomicLong calls = new AtomicLong(1);
    /** Raft addresses (host:port) by lower-case operator address, from zkpfl.raft.peers; before the chain's. */
    private final Map<String, String> peerAddresses;
    /** Signed openings applied from the Raft logs, by attempt ("job/round/attempt") and committee index k. */
    private final Map<String, Map<Integer, SignedOpening>> openings = new ConcurrentHashMap<>();
    /** Signed reveals applied from the Raft logs, same keys. */
    private final Map<String, Map<Integer, SignedReveal>> reveals = new ConcurrentHashMap<>();
    private RaftServer server;

    /**
     * Node k's opening of its C_k (words z, y, ŷ, π.x, π.y) with its EIP-191 sign-off for {@code postOpenings}; nothing
     * secret: the chain publishes the same words once the opening is posted.
     */
    public record SignedOpening(BigInteger job, int round, int attempt, int k, List<BigInteger> words,
                                byte[] signature) {

        String attemptKey() {
            return job + "/" + round + "/" + attempt;
        }

        byte[] toBytes() {
            StringBuilder sb = new StringBuilder("opening/1|").append(job).append('|').append(round).append('|')
                    .append(attempt).append('|').append(k).append('|');
            for (int j = 0; j < words.size(); j++) {
                sb.append(j == 0 ? "" : ",").append(words.get(j).toString(16));
            }
            sb.append('|').append(java.util.HexFormat.of().formatHex(signature));
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        static Optional<SignedOpening> fromBytes(byte[] bytes) {
            try {
                String[] f = new String(bytes, StandardCharsets.UTF_8).split("\\|");
                if (f.length != 7 || !f[0].equals("opening/1")) {
                    return Optional.empty();
                }
                List<BigInteger> words = new ArrayList<>();
                for (String w : f[5].split(",")) {
                    words.add(new BigInteger(w, 16));
                }
                if (words.size() != 5) {
                    return Optional.empty();
                }
                return Optional.of(new SignedOpening(new BigInteger(f[1]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), Integer.parseInt(f[4]), List.copyOf(words),
                        java.util.HexFormat.of().parseHex(f[6])));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Node k's reveal of an attempt (the CID of its S_k ‖ b_k on IPFS) with its key for the job's next round (x, y;
     * zeros for none) and its EIP-191 sign-off for {@code revealPartials}; nothing secret: the chain publishes all of
     * it once the batch is posted, and the round is certified before any node hands a reveal over.
     */
    public record SignedReveal(BigInteger job, int round, int attempt, int k, byte[] cid, List<BigInteger> nextKey,
                               byte[] signature) {

        String attemptKey() {
            return job + "/" + round + "/" + attempt;
        }

        byte[] toBytes() {
            java.util.HexFormat hex = java.util.HexFormat.of();
            return ("reveal/1|" + job + '|' + round + '|' + attempt + '|' + k + '|' + hex.formatHex(cid) + '|'
                    + nextKey.get(0).toString(16) + ',' + nextKey.get(1).toString(16) + '|' + hex.formatHex(signature))
                    .getBytes(StandardCharsets.UTF_8);
        }

        static Optional<SignedReveal> fromBytes(byte[] bytes) {
            try {
                String[] f = new String(bytes, StandardCharsets.UTF_8).split("\\|");
                if (f.length != 8 || !f[0].equals("reveal/1")) {
                    return Optional.empty();
                }
                String[] key = f[6].split(",");
                if (key.length != 2) {
                    return Optional.empty();
                }
                return Optional.of(new SignedReveal(new BigInteger(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                        Integer.parseInt(f[4]), java.util.HexFormat.of().parseHex(f[5]),
                        List.of(new BigInteger(key[0], 16), new BigInteger(key[1], 16)),
                        java.util.HexFormat.of().parseHex(f[7])));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** The state machine of every job's group: it keeps the signed openings and reveals the log carries. */
    private final class OpeningLog extends BaseStateMachine {
        @Override
        public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
            var entry = trx.getLogEntry();
            byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
            SignedOpening.fromBytes(data).ifPresent(o ->
                    openings.computeIfAbsent(o.attemptKey(), x -> new ConcurrentHashMap<>()).put(o.k(), o));
            SignedReveal.fromBytes(data).ifPresent(r ->
                    reveals.computeIfAbsent(r.attemptKey(), x -> new ConcurrentHashMap<>()).put(r.k(), r));
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
    }

    public CommitteeRaft(Chain chain, OperatorIdentity identity,
                         @ConfigProperty(name = "zkpfl.raft.port") Optional<Integer> port,
                         @ConfigProperty(name = "zkpfl.raft.storage") Optional<String> storage,
                         @ConfigProperty(name = "zkpfl.raft.peers") Optional<List<String>> peers) {
        this.chain = chain;
        this.peerAddresses = parsePeers(peers.orElse(List.of()));
        this.me = identity.address();
        this.port = port;
        this.storage = Path.of(storage.orElse(System.getProperty("java.io.tmpdir") + "/zkpfl-raft-" + me));
    }

    /** {@code address=host:port} entries; a malformed one stops the start with a line naming it. */
    static Map<String, String> parsePeers(List<String> entries) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String entry : entries) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            String address = eq < 0 ? "" : e.substring(0, eq).trim().toLowerCase();
            String hostPort = eq < 0 ? "" : e.substring(eq + 1).trim();
            int colon = hostPort.lastIndexOf(':');
            boolean ok = address.matches("0x[0-9a-f]{40}") && colon > 0;
            if (ok) {
                try {
                    int port = Integer.parseInt(hostPort.substring(colon + 1));
                    ok = port > 0 && port < 65536;
                } catch (NumberFormatException x) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new IllegalArgumentException("zkpfl.raft.peers: '" + e + "' is not address=host:port"
                        + " (for example 0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc=127.0.0.1:8091)");
            }
            out.put(address, hostPort);
        }
        return Map.copyOf(out);
    }

    public boolean enabled() {
        return port.isPresent();
    }

    void start(@Observes StartupEvent ev) throws IOException {
        if (port.isEmpty()) {
            LOG.info("Raft is off (zkpfl.raft.port is not set): the committee order picks who makes the shared calls");
            return;
        }
        RaftProperties props = new RaftProperties();
        RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setPort(props, port.get());
        RaftServerConfigKeys.setStorageDir(props, List.of(storage.toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(1, TimeUnit.SECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(2, TimeUnit.SECONDS));
        File dir = storage.toFile();
        boolean known = dir.isDirectory() && dir.list() != null && dir.list().length > 0;
        server = RaftServer.newBuilder().setServerId(peerId(me)).setProperties(props)
                .setStateMachineRegistry(gid -> new OpeningLog())
                .setOption(known ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT).build();
        server.start();
        LOG.infof("Raft listens on port %d (storage %s)", port.get(), storage);
    }

    void stop(@Observes ShutdownEvent ev) throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static RaftPeerId peerId(String address) {
        return RaftPeerId.valueOf(address.toLowerCase().replace("0x", "n"));
    }

    /** One Raft group per job and market, with a UUID derived from both. */
    RaftGroupId groupId(BigInteger job) {
        byte[] h = Hash.sha3((chain.client().addresses().market().toLowerCase() + "/" + job)
                .getBytes(StandardCharsets.UTF_8));
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(h));
    }

    /** Joins the job's Raft group (peers: the committee at their registered endpoints) if not already in it. */
    public synchronized void join(BigInteger job, List<String> committee) {
        if (server == null) {
            return;
        }
        RaftGroupId gid = groupId(job);
        for (RaftGroupId g : server.getGroupIds()) {
            if (g.equals(gid)) {
                return;
            }
        }
        List<RaftPeer> peers = new ArrayList<>();
        for (String node : committee) {
            String configured = peerAddresses.get(node.toLowerCase());
            if (configured != null) {
                peers.add(RaftPeer.newBuilder().setId(peerId(node)).setAddress(configured).build());
                continue;
            }
            StakingRegistry.NodeInfo info = chain.nodeInfo(node);
            URI endpoint = URI.create(info.endpoint);
            if (endpoint.getHost() == null || endpoint.getPort() < 0) {
                LOG.warnf("job %s: node %s registered endpoint '%s' has no host:port; Raft waits for it", job, node,
                        info.endpoint);
                return;
            }
            peers.add(RaftPeer.newBuilder().setId(peerId(node)).setAddress(endpoint.getHost() + ":" + endpoint.getPort())
                    .build());
        }
        try {
            var reply = server.groupManagement(GroupManagementRequest.newAdd(ClientId.randomId(), server.getId(),
                    calls.getAndIncrement(), RaftGroup.valueOf(gid, peers)));
            if (!reply.isSuccess()) {
                LOG.warnf("job %s: joining the committee's Raft group failed: %s", job, reply.getException());
                return;
            }
            LOG.infof("job %s: joined the committee's Raft group %s", job, gid);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.warnf("job %s: joining the committee's Raft group failed: %s", job, e.toString());
        }
    }

    /** The address of the job's current Raft leader, if one is elected and known here. */
    public Optional<String> leader(BigInteger job) {
        if (server == null) {
            return Optional.empty();
        }
        try {
            RaftPeerId id = server.getDivision(groupId(job)).getInfo().getLeaderId();
            return id == null ? Optional.empty() : Optional.of("0x" + id.toString().substring(1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public boolean isLeader(BigInteger job) {
        if (server == null) {
            return false;
        }
        try {
            return server.getDivision(groupId(job)).getInfo().isLeader();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Appends node k's signed opening to the job's Raft log (through its leader), waiting a few seconds at most.
     *
     * @return whether the committee's log took it; false when Raft is off, the group unknown or no leader answers
     */
    public boolean submit(SignedOpening opening) {
        return submit(opening.job(), opening.toBytes(), "opening");
    }

    /** Appends node k's signed reveal to the job's Raft log, as {@link #submit(SignedOpening)}. */
    public boolean submit(SignedReveal reveal) {
        return submit(reveal.job(), reveal.toBytes(), "reveal");
    }

    private boolean submit(BigInteger job, byte[] entry, String what) {
        if (server == null) {
            return false;
        }
        RaftProperties props = new RaftProperties();
        RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(2, TimeUnit.SECONDS));
        RaftClient.Builder builder;
        try {
            var division = server.getDivision(groupId(job));
            builder = RaftClient.newBuilder().setProperties(props).setRaftGroup(division.getGroup())
                    .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(5,
                            TimeDuration.valueOf(300, TimeUnit.MILLISECONDS)));
            RaftPeerId leader = division.getInfo().getLeaderId();
            if (leader != null) {
                builder.setLeaderId(leader);
            }
        } catch (IOException | RuntimeException e) {
            return false; // not in the job's group (yet)
        }
        try (RaftClient client = builder.build()) {
            RaftClientReply reply = client.io().send(Message.valueOf(
                    org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(entry)));
            return reply.isSuccess();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("job %s: the Raft log did not take the %s: %s", job, what, e.toString());
            return false;
        }
    }

    /** The signed openings the job's Raft log carried for attempt {@code job/round/attempt}, by k. */
    public Map<Integer, SignedOpening> openings(String attemptKey) {
        return Map.copyOf(openings.getOrDefault(attemptKey, Map.of()));
    }

    /** The signed reveals the job's Raft log carried for attempt {@code job/round/attempt}, by k. */
    public Map<Integer, SignedReveal> reveals(String attemptKey) {
        return Map.copyOf(reveals.getOrDefault(attemptKey, Map.of()));
    }

    /** Forgets the openings and reveals of a job's finished attempts (they are on chain or expired). */
    public void forgetOpenings(BigInteger job, String keep) {
        openings.keySet().removeIf(key -> key.startsWith(job + "/") && !key.equals(keep));
        reveals.keySet().removeIf(key -> key.startsWith(job + "/") && !key.equals(keep));
    }

    /** Raft is off, or its server runs (readiness). */
    public boolean healthy() {
        return server == null || server.getLifeCycleState() == LifeCycle.State.RUNNING;
    }
}
