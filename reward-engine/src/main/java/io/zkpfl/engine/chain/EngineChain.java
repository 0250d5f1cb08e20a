package io.zkpfl.engine.chain;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.PlatformAddresses;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.http.HttpService;

/**
 * The deployment this engine follows, and the evaluator's signing client on it. Created at start-up, so a missing or
 * unopenable key stops the service at once with one line saying what to configure.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class EngineChain {

    private static final Logger LOG = Logger.getLogger(EngineChain.class);
    private static final String ZERO = "0x0000000000000000000000000000000000000000";

    private final Web3j web3j;
    private final PlatformAddresses addresses;
    private final Credentials evaluator;
    private final ChainClient client;
    private final long chainId;
    private final io.zkpfl.protocol.validation.EvaluatorEncryptionKey encryptionKey;
    private final io.zkpfl.protocol.validation.EvaluatorEncryptionKey.Statement keyStatement;

    public EngineChain(@ConfigProperty(name = "zkpfl.chain.rpc-url") String rpcUrl,
                       @ConfigProperty(name = "zkpfl.chain.id") long chainId,
                       @ConfigProperty(name = "zkpfl.chain.contracts.token") String token,
                       @ConfigProperty(name = "zkpfl.chain.contracts.registry") String registry,
                       @ConfigProperty(name = "zkpfl.chain.contracts.market") String market,
                       @ConfigProperty(name = "zkpfl.chain.contracts.certifier") Optional<String> certifier,
                       @ConfigProperty(name = "zkpfl.engine.keystore") Optional<String> keystore,
                       @ConfigProperty(name = "zkpfl.engine.keystore-password-file") Optional<String> passwordFile,
                       @ConfigProperty(name = "zkpfl.engine.dev-account") Optional<Integer> devAccount) {
        this.web3j = Web3j.build(new HttpService(rpcUrl));
        this.chainId = chainId;
        this.addresses = new PlatformAddresses(token, registry, certifier.orElse(ZERO), market);
        this.evaluator = EvaluatorKey.load(keystore, passwordFile, devAccount);
        this.client = ChainClient.connect(web3j, chainId, evaluator, addresses);
        // the validation-bundle key (docs/adr/0105): derived from the evaluator's key, so as lasting as its keystore
        this.encryptionKey = io.zkpfl.protocol.validation.EvaluatorEncryptionKey.derive(evaluator.getEcKeyPair());
        this.keyStatement = encryptionKey.statement(chainId, evaluator.getEcKeyPair());
        LOG.infof("evaluator %s on chain %d (%s), market %s, registry %s", evaluator.getAddress(), chainId, rpcUrl,
                market, registry);
    }

    public Web3j web3j() {
        return web3j;
    }

    public PlatformAddresses addresses() {
        return addresses;
    }

    /** The evaluator's address, lower-case. */
    public String evaluator() {
        return evaluator.getAddress().toLowerCase(Locale.ROOT);
    }

    /** The evaluator's encryption key for owners' validation sets (never logged). */
    public io.zkpfl.protocol.validation.EvaluatorEncryptionKey encryptionKey() {
        return encryptionKey;
    }

    /** Its public key signed by the evaluator's address (EIP-191), as served at GET /api/v1/evaluator/key. */
    public io.zkpfl.protocol.validation.EvaluatorEncryptionKey.Statement keyStatement() {
        return keyStatement;
    }

    public ChainClient client() {
        return client;
    }

    public long chainId() {
        return chainId;
    }

    public long head() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("eth_blockNumber failed", e);
        }
    }

    /** The latest block's timestamp (Unix seconds). */
    public long now() {
        return block(DefaultBlockParameterName.LATEST).getTimestamp().longValue();
    }

    /** The hash of block {@code number}, or empty when the chain is shorter. */
    public Optional<String> blockHash(long number) {
        EthBlock.Block b = block(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)));
        return Optional.ofNullable(b).map(EthBlock.Block::getHash);
    }

    private EthBlock.Block block(DefaultBlockParameter which) {
        try {
            return web3j.ethGetBlockByNumber(which, false).send().getBlock();
        } catch (IOException e) {
            throw new UncheckedIOException("eth_getBlockByNumber failed", e);
        }
    }

    @PreDestroy
    void close() {
        web3j.shutdown();
    }
}
