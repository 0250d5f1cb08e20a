package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.contracts.generated.PlatformToken;
import io.zkpfl.contracts.generated.StakingRegistry;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;

/** Deploys the zkPFL contracts, and raw creation bytecode such as the verifiers zk-core exports. */
public final class PlatformDeployer {

    private PlatformDeployer() {
    }

    /**
     * Deploys token, staking registry and job market, grants the market its role in the registry and allow-lists
     * the platform token as fee token. {@code admin} becomes every contract's admin. The KZG verifier of the
     * platform's SRS is not deployed ({@link PlatformAddresses#certifier()} is the zero address until
     * {@link MarketClient#setKzgVerifier} fixes it); see {@link #deployPlatform(Web3j, long, Credentials, PlatformConfig, String)}.
     */
    public static PlatformAddresses deployPlatform(Web3j web3j, long chainId, Credentials admin, PlatformConfig config) {
        return deployPlatform(web3j, chainId, admin, config, null);
    }

    /**
     * As {@link #deployPlatform(Web3j, long, Credentials, PlatformConfig)}, and also deploys the KZG batch verifier
     * that zk-core exports for the platform's SRS from its creation bytecode (hex) and fixes it in the market;
     * {@link PlatformAddresses#certifier()} is then its address. {@code null} deploys none.
     */
    public static PlatformAddresses deployPlatform(Web3j web3j, long chainId, Credentials admin, PlatformConfig config,
                                                   String kzgVerifierBytecode) {
        TransactionManager tm = ChainCalls.transactionManager(web3j, chainId, admin);
        ContractGasProvider gas = ChainCalls.estimatingGas(web3j);
        String who = admin.getAddress();
        try {
            PlatformToken token = PlatformToken.deploy(web3j, tm, gas, who).send();
            StakingRegistry registry = StakingRegistry.deploy(web3j, tm, gas, token.getContractAddress(),
                    config.trainerMinStake(), config.nodeMinStake(), BigInteger.valueOf(config.unbondingDelaySeconds()),
                    who, config.treasury()).send();
            JobMarket market = JobMarket.deploy(web3j, tm, gas, registry.getContractAddress(), who).send();
            registry.grantRole(registry.MARKET_ROLE().send(), market.getContractAddress()).send();
            market.setFeeToken(token.getContractAddress(), config.minimumFee()).send();
            PlatformConfig.Economics e = config.economics();
            market.setEconomics(config.treasury(), BigInteger.valueOf(e.creationFeePpm()),
                    BigInteger.valueOf(e.minOwnerBondPpm()), BigInteger.valueOf(e.disclosureWindowSeconds()),
                    BigInteger.valueOf(e.disputeWindowSeconds())).send();
            String verifier = "0x0000000000000000000000000000000000000000";
            if (kzgVerifierBytecode != null) {
                verifier = deployCreationCode(web3j, tm, gas, kzgVerifierBytecode, "the KZG verifier");
                market.setKzgVerifier(verifier).send();
            }
            return new PlatformAddresses(token.getContractAddress(), registry.getContractAddress(), verifier,
                    market.getContractAddress());
        } catch (ChainRevertException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("deploying the zkPFL contracts failed: " + e.getMessage(), e);
        }
    }

    /**
     * Deploys raw creation bytecode (hex) from {@code deployer}, e.g. a verifier zk-core exported and solc-js
     * compiled; returns the contract's address.
     *
     * @throws IllegalStateException naming {@code what} if the node refuses the transaction or it reverts
     */
    public static String deployCreationCode(Web3j web3j, long chainId, Credentials deployer, String bytecode, String what) {
        return deployCreationCode(web3j, ChainCalls.transactionManager(web3j, chainId, deployer),
                ChainCalls.estimatingGas(web3j), bytecode, what);
    }

    private static String deployCreationCode(Web3j web3j, TransactionManager tm, ContractGasProvider gas, String bytecode,
                                             String what) {
        try {
            var sent = tm.sendTransaction(gas.getGasPrice(), BigInteger.valueOf(6_000_000), null,
                    Numeric.prependHexPrefix(bytecode), BigInteger.ZERO, true);
            if (sent.hasError()) {
                throw new IllegalStateException("deploying " + what + " failed: " + sent.getError().getMessage());
            }
            TransactionReceipt r = new PollingTransactionReceiptProcessor(web3j, 50, 2_400)
                    .waitForTransactionReceipt(sent.getTransactionHash());
            if (!r.isStatusOK() || r.getContractAddress() == null) {
                throw new IllegalStateException("deploying " + what + " failed: " + r.getStatus());
            }
            return r.getContractAddress();
        } catch (IOException | TransactionException e) {
            throw new IllegalStateException("deploying " + what + " failed: " + e.getMessage(), e);
        }
    }
}
