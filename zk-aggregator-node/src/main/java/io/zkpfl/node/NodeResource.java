package io.zkpfl.node;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the node serves and has done, for operators and tests; never a share or key. */
@Path("/node")
@Produces(MediaType.APPLICATION_JSON)
public class NodeResource {

    private final OperatorIdentity identity;
    private final RoundStore store;
    private final Chain chain;
    private final CommitteeRaft raft;

    public NodeResource(OperatorIdentity identity, RoundStore store, Chain chain, CommitteeRaft raft) {
        this.raft = raft;
        this.identity = identity;
        this.store = store;
        this.chain = chain;
    }

    /** The operator address, the market followed and the jobs whose committee holds this node. */
    @GET
    public Map<String, Object> node() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", identity.address());
        out.put("market", chain.client().addresses().market());
        out.put("jobs", store.allJobs().stream().map(j -> Map.of("job", j.jobId().toString(), "k", j.k())).toList());
        return out;
    }

    /** This node's verdicts on the current attempt's shares and its transactions in the job. */
    @GET
    @Path("/jobs/{job}")
    public Map<String, Object> job(@PathParam("job") String job) {
        BigInteger id;
        try {
            id = new BigInteger(job);
        } catch (NumberFormatException e) {
            throw new jakarta.ws.rs.BadRequestException("job must be a decimal job id, got '" + job + "'");
        }
        Integer k = store.committeeIndex(id).orElseThrow(() -> new NotFoundException(
                "this node is not in job " + id + "'s committee"));
        var js = chain.client().market().job(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", id.toString());
        out.put("k", k);
        out.put("round", js.round());
        out.put("attempt", js.attempt());
        out.put("raftLeader", raft.leader(id).orElse(null));
        Map<String, String> verdicts = new LinkedHashMap<>();
        store.verdicts(id, js.round(), js.attempt()).forEach((i, v) -> verdicts.put(String.valueOf(i), v));
        out.put("verdicts", verdicts);
        List<Map<String, Object>> actions = store.actions(id);
        out.put("actions", actions);
        return out;
    }
}
