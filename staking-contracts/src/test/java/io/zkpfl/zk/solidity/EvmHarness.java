package io.zkpfl.zk.solidity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.devstack.chain.AnvilNode;
import io.zkpfl.devstack.chain.DevAccounts;
import io.zkpfl.zk.r1cs.NodeTool;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * An Anvil chain for zk-core's Solidity exports (Groth16, KZG, DLEQ verifiers): compiles a generated source with
 * solc-js ({@link SolcJs}), deploys it, calls it and measures gas from receipts
 * (eth_estimateGas under-reports calls that turn a failing precompile into a revert).
 */
public final class EvmHarness implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AnvilNode anvil;
    private final Web3j web3;
    private final String from;
    private final Path dir;

    /** Starts Anvil; sources are compiled in {@code dir}. */
    public EvmHarness(Path dir) {
        this.dir = dir;
        this.anvil = AnvilNode.start();
        this.web3 = Web3j.build(new HttpService(anvil.rpcUrl()));
        this.from = DevAccounts.address(0);
    }

    @Override
    public void close() {
        web3.shutdown();
        anvil.close();
    }

    /** Compiles {@code source} and deploys contract {@code name}; returns its address. */
    public String deploy(String source, String name) throws Exception {
        String bytecode = SolcJs.compile(source, name).bytecode();
        var tx = Transaction.createContractTransaction(from, null, null, BigInteger.valueOf(8_000_000), BigInteger.ZERO, bytecode);
        var sent = web3.ethSendTransaction(tx).send();
        assertFalse(sent.hasError(), () -> sent.getError().getMessage());
        TransactionReceipt receipt = receipt(sent.getTransactionHash());
        assertTrue(receipt.isStatusOK(), "deployment failed");
        assertNotNull(receipt.getContractAddress());
        return receipt.getContractAddress();
    }

    public EthCall call(String to, String data) throws IOException {
        return web3.ethCall(Transaction.createEthCallTransaction(from, to, data), DefaultBlockParameterName.LATEST).send();
    }

    /** The single uint256 an eth_call returns; fails if it reverted. */
    public BigInteger callWord(String to, String data) throws IOException {
        EthCall r = call(to, data);
        assertFalse(r.hasError() || r.isReverted(), () -> "call reverted: " + describe(r));
        return new BigInteger(r.getValue().substring(2), 16);
    }

    public boolean callBool(String to, String data) throws IOException {
        return callWord(to, data).equals(BigInteger.ONE);
    }

    public void assertReverted(String to, String data, String reason) throws IOException {
        assertReverted(call(to, data), reason);
    }

    /** Asserts that {@code r} reverted with a reason that mentions {@code reason}. */
    public static void assertReverted(EthCall r, String reason) {
        assertTrue(r.hasError() || r.isReverted(), "expected a revert, got " + r.getValue());
        String text = describe(r);
        assertTrue(text.contains(reason), "revert reason should mention '" + reason + "': " + text);
    }

    private static String describe(EthCall r) {
        if (r.hasError()) {
            return r.getError().getMessage() + " " + r.getError().getData();
        }
        return String.valueOf(r.getRevertReason());
    }

    /** Gas used by a mined transaction calling {@code to} (5M gas limit); asserts it succeeded. */
    public BigInteger gasUsed(String to, String data) throws Exception {
        var tx = Transaction.createFunctionCallTransaction(from, null, null, BigInteger.valueOf(5_000_000), to, data);
        var sent = web3.ethSendTransaction(tx).send();
        assertFalse(sent.hasError(), () -> sent.getError().getMessage());
        TransactionReceipt receipt = receipt(sent.getTransactionHash());
        assertTrue(receipt.isStatusOK(), "gas measurement transaction failed");
        return receipt.getGasUsed();
    }

    private TransactionReceipt receipt(String hash) throws Exception {
        for (int i = 0; i < 100; i++) {
            var r = web3.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (r.isPresent()) {
                return r.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no receipt for " + hash);
    }
}
