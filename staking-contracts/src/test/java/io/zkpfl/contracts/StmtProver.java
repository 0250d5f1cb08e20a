package io.zkpfl.contracts;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.frontend.CompiledCircuit;
import io.zkpfl.zk.frontend.Compiler;
import io.zkpfl.zk.groth16.Groth16;
import io.zkpfl.zk.groth16.KeyPair;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.groth16.VerifyingKey;
import io.zkpfl.zk.solidity.SolidityVerifier;
import io.zkpfl.zk.stmt.FingerprintStatement;
import io.zkpfl.zk.stmt.SharesStatement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Stmt(D) and SharesStatement(D, m) from zk-core: circuits, a Groth16 set-up of each for tests, proofs, and the
 * generated Solidity verifiers compiled with solc-js and deployed on the test chain.
 */
public final class StmtProver {

    public final int d;
    public final int m;
    private final FingerprintStatement statement;
    private final CompiledCircuit circuit;
    private final KeyPair keys;
    private final SharesStatement sharesStatement;
    private final CompiledCircuit sharesCircuit;
    private final KeyPair sharesKeys;
    private final SplittableRandom rng;

    /** Both circuits for bucket {@code d} and committee size {@code m}. */
    public StmtProver(int d, int m, long seed) {
        this.d = d;
        this.m = m;
        this.rng = new SplittableRandom(seed);
        this.statement = new FingerprintStatement(d);
        this.circuit = Compiler.compile(statement);
        this.keys = Groth16.setup(circuit.r1cs(), rng);
        this.sharesStatement = new SharesStatement(d, m);
        this.sharesCircuit = Compiler.compile(sharesStatement);
        this.sharesKeys = Groth16.setup(sharesCircuit.r1cs(), rng);
    }

    /** A Stmt(D) proof of one vector under {@code tag}. */
    public Proof prove(Fr tag, Fr salt, Fr[] s, Fr rho) {
        return Groth16.prove(keys.provingKey(), circuit.r1cs(), circuit.solve(statement.witness(tag, salt, s, rho)).values(),
                rng);
    }

    /** A SharesStatement(D, m) proof of a trainer's m shares under tag base {@code base}. */
    public Proof proveShares(Fr base, Fr[] salts, Fr[][] shares, Fr rho) {
        return Groth16.prove(sharesKeys.provingKey(), sharesCircuit.r1cs(),
                sharesCircuit.solve(sharesStatement.witness(base, salts, shares, rho)).values(), rng);
    }

    public Fr random() {
        return Fr.random(rng);
    }

    /** Compiles the generated Stmt(D) verifier with the module's solc-js script and deploys it; returns its address. */
    public String deployVerifier(Web3j web3j, long chainId, Credentials deployer) throws IOException, InterruptedException {
        return deploy(web3j, chainId, deployer, keys.verifyingKey(), "StmtVerifier" + d);
    }

    /** Compiles and deploys the generated SharesStatement(D, m) verifier; returns its address. */
    public String deploySharesVerifier(Web3j web3j, long chainId, Credentials deployer)
            throws IOException, InterruptedException {
        return deploy(web3j, chainId, deployer, sharesKeys.verifyingKey(), "SharesVerifier" + d + "x" + m);
    }

    private static String deploy(Web3j web3j, long chainId, Credentials deployer, VerifyingKey vk, String name)
            throws IOException, InterruptedException {
        Path root = repoRoot();
        Path dir = Files.createTempDirectory("stmt-verifier");
        Path src = Files.createDirectories(dir.resolve("src"));
        Path out = dir.resolve("out");
        Files.writeString(src.resolve(name + ".sol"), SolidityVerifier.generate(vk, name));
        Process node = new ProcessBuilder("node", root.resolve("staking-contracts/src/main/js/compile.js").toString(),
                root.toString(), out.toString(), src.toString()).redirectErrorStream(true).start();
        String log = new String(node.getInputStream().readAllBytes());
        if (!node.waitFor(5, TimeUnit.MINUTES) || node.exitValue() != 0) {
            throw new IllegalStateException("solc failed: " + log);
        }
        String bin = Files.readString(out.resolve(name + ".bin"));
        RawTransactionManager tm = new RawTransactionManager(web3j, deployer, chainId);
        EthSendTransaction sent = tm.sendTransaction(web3j.ethGasPrice().send().getGasPrice(),
                java.math.BigInteger.valueOf(8_000_000), null, "0x" + bin, java.math.BigInteger.ZERO);
        if (sent.hasError()) {
            throw new IllegalStateException("deploying the verifier failed: " + sent.getError().getMessage());
        }
        try {
            TransactionReceipt receipt = new PollingTransactionReceiptProcessor(web3j, 50, 2_400)
                    .waitForTransactionReceipt(sent.getTransactionHash());
            return receipt.getContractAddress();
        } catch (org.web3j.protocol.exceptions.TransactionException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("node_modules/solc"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("node_modules/solc not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
