package io.zkpfl.contracts.setup;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.PlatformDeployer;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.PlatformConfig;
import io.zkpfl.zk.kzg.Srs;
import io.zkpfl.zk.solidity.DleqSolidity;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import io.zkpfl.zk.solidity.SolcJs;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * A platform that can run rounds (docs/protocol.md): token, registry and market, plus the KZG batch verifier that
 * zk-core exports for the platform's SRS and the DLEQ verifier complaints need, both compiled here with solc-js
 * and fixed in the market. The verifier depends only on {@code G_0}, {@code H_0} and {@code [τ]_2}, so one
 * deployment serves every model size the SRS covers.
 */
public final class RoundPlatform {

    private RoundPlatform() {
    }

    /** Creation bytecode of the KZG verifier for {@code srs} (hex). */
    public static String kzgVerifierBytecode(Srs srs) {
        return SolcJs.compile(KzgSolidityVerifier.generate(srs, "KzgVerifier"), "KzgVerifier").bytecode();
    }

    /** Creation bytecode of the DLEQ verifier (hex). */
    public static String dleqVerifierBytecode() {
        return SolcJs.compile(DleqSolidity.generate("DleqVerifier"), "DleqVerifier").bytecode();
    }

    /**
     * Deploys the platform from {@code admin} with both verifiers fixed in the market.
     *
     * @return the addresses; {@link PlatformAddresses#certifier()} is the KZG verifier
     */
    public static PlatformAddresses deploy(Web3j web3j, long chainId, Credentials admin, PlatformConfig config, Srs srs) {
        PlatformAddresses addresses = PlatformDeployer.deployPlatform(web3j, chainId, admin, config, kzgVerifierBytecode(srs));
        String dleq = PlatformDeployer.deployCreationCode(web3j, chainId, admin, dleqVerifierBytecode(), "the DLEQ verifier");
        ChainClient.connect(web3j, chainId, admin, addresses).market().setDleqVerifier(dleq);
        return addresses;
    }
}
