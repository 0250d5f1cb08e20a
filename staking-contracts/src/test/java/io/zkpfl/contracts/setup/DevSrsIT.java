package io.zkpfl.contracts.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.PlatformConfig;
import io.zkpfl.devstack.chain.AnvilNode;
import io.zkpfl.devstack.chain.DevAccounts;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.kzg.DevSrs;
import io.zkpfl.zk.kzg.Kzg;
import io.zkpfl.zk.kzg.Opening;
import io.zkpfl.zk.kzg.Ptau;
import io.zkpfl.zk.kzg.Srs;
import io.zkpfl.zk.r1cs.NodeTool;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.http.HttpService;

/**
 * The dev SRS is a ceremony transcript that snarkjs (an implementation written elsewhere) accepts, is made once and
 * reused, and a platform deployed for it verifies openings computed from it and refuses others.
 */
class DevSrsIT {

    @Test
    void devSrsIsACeremonySnarkjsAcceptsMadeOnce(@TempDir Path dir) throws Exception {
        List<String> progress = new ArrayList<>();
        Path file = DevSrs.ensure(dir, 5, progress::add);
        assertTrue(progress.stream().anyMatch(l -> l.contains("contribution 3 of 3")), progress.toString());
        Ptau ptau = Ptau.read(file);
        assertEquals(DevSrs.CONTRIBUTIONS, ptau.contributions().size());
        assertFalse(ptau.tauG1(1).equals(G1.GENERATOR), "τ·G must not be the generator after contributions");

        NodeTool.Result verified = NodeTool.snarkjs(dir, "powersoftau", "verify", file.toString());
        assertEquals(0, verified.exitCode(), verified.output());
        assertFalse(verified.output().contains("[ERROR]"), verified.output());

        long size = Files.size(file);
        var modified = Files.getLastModifiedTime(file);
        List<String> again = new ArrayList<>();
        assertEquals(file, DevSrs.ensure(dir, 5, again::add));
        assertEquals(List.of(), again, "an existing SRS is reused, not remade");
        assertEquals(size, Files.size(file));
        assertEquals(modified, Files.getLastModifiedTime(file));
        Files.write(dir.resolve("dev-7.ptau"), new byte[] {'p', 't', 'a', 'u', 1, 0, 0, 0});
        assertThrows(Exception.class, () -> DevSrs.ensure(dir, 7, l -> { }),
                "a damaged cached SRS is refused, not silently used or overwritten");
        assertEquals(8, Files.size(dir.resolve("dev-7.ptau")));
    }

    @Test
    void platformForTheDevSrsVerifiesItsOpeningsOnChain(@TempDir Path dir) throws Exception {
        Srs srs = Srs.fromPtau(DevSrs.ensure(dir, 4, l -> { }), 16, 5);
        try (AnvilNode anvil = AnvilNode.start()) {
            Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
            Credentials admin = Credentials.create(DevAccounts.privateKey(0));
            PlatformAddresses a = RoundPlatform.deploy(web3j, anvil.chainId(), admin,
                    PlatformConfig.defaults(DevAccounts.address(9)), srs);
            Fr[] v = new Fr[16];
            for (int j = 0; j < v.length; j++) {
                v[j] = Fr.of(1000 + 7L * j);
            }
            Fr[] b = {Fr.of(3), Fr.of(1), Fr.of(4), Fr.of(1), Fr.of(5)};
            G1 c = Kzg.commit(srs, v, b);
            Opening good = Kzg.open(srs, v, b, Fr.of(99));
            assertTrue(verify(web3j, a.certifier(), c, good), "an opening from the dev SRS verifies");
            Opening elsewhere = Kzg.open(srs, v, b, Fr.of(98));
            Opening forged = new Opening(good.z(), elsewhere.y(), good.yHat(), good.proof());
            assertFalse(verify(web3j, a.certifier(), c, forged), "a wrong value does not");
            var state = web3j.ethGetCode(a.market(), DefaultBlockParameterName.LATEST).send().getCode();
            assertTrue(state.length() > 2, "market deployed");
            assertFalse(ChainClient.connect(web3j, anvil.chainId(), admin, a).addresses().certifier()
                    .equals("0x0000000000000000000000000000000000000000"));
            web3j.shutdown();
        }
    }

    private static boolean verify(Web3j web3j, String verifier, G1 c, Opening o) throws Exception {
        List<Uint256> cs = new ArrayList<>();
        for (BigInteger w : KzgSolidityVerifier.commitmentWords(List.of(c))) {
            cs.add(new Uint256(w));
        }
        List<Uint256> os = new ArrayList<>();
        for (BigInteger w : KzgSolidityVerifier.openingWords(List.of(o))) {
            os.add(new Uint256(w));
        }
        Function f = new Function("verifyBatch", List.of(new DynamicArray<>(Uint256.class, cs), new DynamicArray<>(Uint256.class, os)),
                List.of(new TypeReference<Bool>() { }));
        var r = web3j.ethCall(Transaction.createEthCallTransaction(DevAccounts.address(0), verifier, FunctionEncoder.encode(f)),
                DefaultBlockParameterName.LATEST).send();
        if (r.isReverted()) {
            return false;
        }
        return new BigInteger(r.getValue().substring(2), 16).signum() != 0;
    }
}
