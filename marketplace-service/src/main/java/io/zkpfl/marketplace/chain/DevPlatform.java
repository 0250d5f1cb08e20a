package io.zkpfl.marketplace.chain;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.contracts.PlatformConfig;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.util.List;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

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

    /** Anvil's dev keys 0..9 (standard test mnemonic); public, for local chains only. */
    static final List<String> DEV_KEYS = List.of(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
            "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
            "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
            "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
            "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
            "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
            "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
            "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
            "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6");
    /** Tokens minted to each dev owner (accounts 1 to 4). */
    public static final long OWNER_TOKENS = 100_000;
    /** Dev accounts that register as zk-nodes. */
    public static final List<Integer> NODE_ACCOUNTS = List.of(5, 6, 7);

    private DevPlatform() {
    }

    /** Dev account {@code i}'s private key (public knowledge; dev chains only). */
    public static String devKey(int i) {
        return DEV_KEYS.get(i);
    }

    /** Deploys and seeds the platform; returns its addresses. */
    public static PlatformAddresses deploy(Web3j web3j, long chainId) {
        long t0 = System.nanoTime();
        Credentials admin = Credentials.create(DEV_KEYS.get(0));
        PlatformConfig platform = PlatformConfig.defaults(Credentials.create(DEV_KEYS.get(9)).getAddress());
        PlatformAddresses addresses = ChainClient.deployPlatform(web3j, chainId, admin, platform);
        ChainClient client = ChainClient.connect(web3j, chainId, admin, addresses);
        for (int i = 1; i <= 4; i++) {
            client.mint(Credentials.create(DEV_KEYS.get(i)).getAddress(), PlatformConfig.tokens(OWNER_TOKENS));
        }
        for (int i = 1; i <= 3; i++) {
            client.as(Credentials.create(DEV_KEYS.get(i))).approve(addresses.token(), addresses.market(),
                    PlatformConfig.tokens(OWNER_TOKENS));
        }
        for (int k : NODE_ACCOUNTS) {
            Credentials node = Credentials.create(DEV_KEYS.get(k));
            client.mint(node.getAddress(), platform.nodeMinStake());
            client.as(node).registerNode(platform.nodeMinStake(), x25519PublicKey(k), "http://127.0.0.1/dev-node-" + k);
        }
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
}
