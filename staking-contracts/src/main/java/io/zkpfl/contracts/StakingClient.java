package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.StakingRegistry;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple2;

import java.math.BigInteger;
import java.util.List;

import static io.zkpfl.contracts.ChainCalls.call;
import static io.zkpfl.contracts.ChainCalls.send;

/** {@code StakingRegistry} calls for one signer: trainer and node stakes, node capacity, unbonding. */
public final class StakingClient {

    private final ChainCalls c;
    private final TokenClient token;
    private final StakingRegistry registry;

    StakingClient(ChainCalls c, TokenClient token) {
        this.c = c;
        this.token = token;
        this.registry = StakingRegistry.load(c.addresses().registry(), c.web3j(), c.transactions(), c.gas());
    }

    /** Approves the registry and stakes {@code amount} as trainer; returns the staking receipt. */
    public TransactionReceipt stakeAsTrainer(BigInteger amount) {
        token.approve(c.addresses().token(), c.addresses().registry(), amount);
        return send("stakeAsTrainer", registry.stakeAsTrainer(amount));
    }

    /** Approves the registry and registers as zk-node with its X25519 key and endpoint. */
    public TransactionReceipt registerNode(BigInteger amount, byte[] x25519Key, String endpoint) {
        token.approve(c.addresses().token(), c.addresses().registry(), amount);
        return send("registerNode", registry.registerNode(amount, x25519Key, endpoint));
    }

    /** The signer (a registered node) states how many committees it serves at once. */
    public TransactionReceipt setCapacity(int committees) {
        return send("setCapacity", registry.setCapacity(BigInteger.valueOf(committees)));
    }

    /** A node's stated capacity (0: not stated, no limit). */
    public int capacityOf(String node) {
        return call("capacityOf", registry.capacityOf(node)).intValue();
    }

    public TransactionReceipt requestUnbond(BigInteger amount) {
        return send("requestUnbond", registry.requestUnbond(amount));
    }

    public TransactionReceipt withdraw() {
        return send("withdraw", registry.withdraw());
    }

    /** Stake of {@code account} in the registry. */
    public StakingRegistry.Account account(String account) {
        return call("accountOf", registry.accountOf(account));
    }

    /** The registered nodes and their committee-draw weights now (0 below the minimum stake or at capacity). */
    public Tuple2<List<String>, List<BigInteger>> nodePool() {
        return call("nodePool", registry.nodePool());
    }
}
