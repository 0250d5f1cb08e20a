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
import org.apache.ratis.RaftConfigKeys;
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
 * (docs/adr/0072-raft-leader.md). Off unless {@code zkpfl.raft.port} is set; then the committee order decides.
 */
@ApplicationScoped
public class CommitteeRaft {

    private static final Logger LOG = Logger.getLogger(CommitteeRaft.class);

    private final Optional<Integer> port;
    private final Path storage;
    private final Chain chain;
    private final String me;
    private final AtomicLong calls = new AtomicLong(1);
    private RaftServer server;

    public CommitteeRaft(Chain chain, OperatorIdentity identity,
                         @ConfigProperty(name = "zkpfl.raft.port") Optional<Integer> port,
                         @ConfigProperty(name = "zkpfl.raft.storage") Optional<String> storage) {
        this.chain = chain;
        this.me = identity.address();
        this.port = port;
        this.storage = Path.of(storage.orElse(System.getProperty("java.io.tmpdir") + "/zkpfl-raft-" + me));
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
                .setStateMachineRegistry(gid -> new BaseStateMachine())
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

    /** Raft is off, or its server runs (readiness). */
    public boolean healthy() {
        return server == null || server.getLifeCycleState() == LifeCycle.State.RUNNING;
    }
}
