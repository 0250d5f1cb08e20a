package io.zkpfl.marketplace.chain;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.PlatformDeployer;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.PlatformConfig;
import io.zkpfl.contracts.setup.RoundPlatform;
import io.zkpfl.protocol.chain.DevChainKeys;
import io.zkpfl.zk.kzg.Srs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;

/**
 * The dev bootstrap ({@code zkpfl.chain.bootstrap=dev}): deploys the zkPFL platform on a dev chain whose
 * accounts are Anvil's well-known dev accounts, so that jobs can be created on it at once. Account 0 deploys
 * (and is the default relayer); accounts 1 to 4 get {@value #OWNER_TOKENS} tokens each, and 1 to 3 approve the
 * market for their fees (account 4 does not: a dev owner without allowance); accounts 5, 6 and 7 register as
 * zk-nodes with X25519 keys derived from their index, so committees of up to three can be drawn. Account 9
 * is the treasury. These keys are public knowledge: never use this outside a dev chain.
 */
public final class DevPlatform {

    private static final Logger LOG = Logger.getLogger(DevPlatform.class);

    /** Tokens minted to each dev owner (accounts 1 to 4). */
    public static final long OWNER_TOKENS = 100_000;
    /** Tokens minted to each dev trainer ({@link DevChainKeys#trainerKey}): enough to stake. */
    public static final long TRAINER_TOKENS = 10_000;
    /** Ether each dev trainer gets for gas. */
    public static final long TRAINER_ETHER = 1_000;
    /** Dev accounts that register as zk-nodes. */
    public static final List<Integer> NODE_ACCOUNTS = List.of(5, 6, 7);

    private DevPlatform() {
    }

    /** Dev account {@code i}'s private key (public knowledge; dev chains only). */
    public static String devKey(int i) {
        return DevChainKeys.privateKey(i);
    }

    /**
     * Deploys and seeds the platform; returns its addresses. With {@code srsPtau} the market gets the KZG verifier
     * of that SRS and the DLEQ verifier ({@link RoundPlatform}), so rounds can run; without, it has neither.
     */
    public static PlatformAddresses deploy(Web3j web3j, Web3jService rpc, long chainId, Optional<Path> srsPtau) {
        long t0 = System.nanoTime();
        Credentials admin = Credentials.create(DevChainKeys.privateKey(0));
        PlatformConfig platform = PlatformConfig.defaults(Credentials.create(DevChainKeys.privateKey(9)).getAddress());
        PlatformAddresses addresses;
        if (srsPtau.isPresent()) {
            Srs srs;
            try {
                srs = Srs.fromPtau(srsPtau.get(), 2, 2);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the SRS " + srsPtau.get() + ": " + e.getMessage(), e);
            }
            addresses = RoundPlatform.deploy(web3j, chainId, admin, platform, srs);
        } else {
            addresses = PlatformDeployer.deployPlatform(web3j, chainId, admin, platform);
        }
        ChainClient client = ChainClient.connect(web3j, chainId, admin, addresses);
        for (int i = 1; i <= 4; i++) {
            client.token().mint(Credentials.create(DevChainKeys.privateKey(i)).getAddress(), PlatformConfig.tokens(OWNER_TOKENS));
        }
        for (int i = 1; i <= 3; i++) {
            client.as(Credentials.create(DevChainKeys.privateKey(i))).token().approve(addresses.token(), addresses.market(),
                    PlatformConfig.tokens(OWNER_TOKENS));
        }
        for (int k : NODE_ACCOUNTS) {
            Credentials node = Credentials.create(DevChainKeys.privateKey(k));
            client.token().mint(node.getAddress(), platform.nodeMinStake());
            client.as(node).staking().registerNode(platform.nodeMinStake(), x25519PublicKey(k), "http://127.0.0.1/dev-node-" + k);
        }
        for (int i = 0; i < DevChainKeys.TRAINERS; i++) {
            String trainer = Credentials.create(DevChainKeys.trainerKey(i)).getAddress();
            setBalance(rpc, trainer, TRAINER_ETHER);
            client.token().mint(trainer, PlatformConfig.tokens(TRAINER_TOKENS));
        }
        LOG.infof("dev trainers 0-%d (DevChainKeys.trainerKey) hold %d ether and %d tokens each",
                DevChainKeys.TRAINERS - 1, TRAINER_ETHER, TRAINER_TOKENS);
        LOG.infof("dev platform deployed in %.1f s: token %s, registry %s, certifier %s, market %s; "
                        + "dev accounts 1-4 hold %d tokens (1-3 approved the market), accounts %s are zk-nodes",
                (System.nanoTime() - t0) / 1e9, addresses.token(), addresses.registry(), addresses.certifier(),
                addresses.market(), OWNER_TOKENS, NODE_ACCOUNTS);
        return addresses;
    }

    /** The X25519 public key (32 bytes, little-endian u) of dev node {@code index}, from a seed fixed by the index. */
    static byte[] x25519PublicKey(int index) {
        try {
            SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
            seeded.setSeed(("zkpfl-dev-node-" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
            generator.initialize(255, seeded);
            BigInteger u = ((XECPublicKey) generator.generateKeyPair().getPublic()).getU();
            byte[] be = u.toByteArray();
            byte[] le = new byte[32];
            for (int i = 0; i < Math.min(32, be.length); i++) {
                le[i] = be[be.length - 1 - i];
            }
            return le;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    /** Anvil's {@code anvil_setBalance}: dev chains only. */
    private static void setBalance(Web3jService rpc, String account, long ether) {
        try {
            var request = new org.web3j.protocol.core.Request<>("anvil_setBalance",
                    List.of(account, "0x" + BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(ether)).toString(16)),
                    rpc, org.web3j.protocol.core.methods.response.VoidResponse.class);
            var response = request.send();
            if (response.hasError()) {
                throw new IllegalStateException("anvil_setBalance failed: " + response.getError().getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("anvil_setBalance failed", e);
        }
    }
}
