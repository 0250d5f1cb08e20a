package io.zkpfl.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.DevStackConfig;
import io.zkpfl.devstack.chain.AnvilOptions;
import io.zkpfl.devstack.demo.LocalSystem;
import io.zkpfl.protocol.chain.DevChainKeys;
import io.zkpfl.zk.kzg.DevSrs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The whole system as users run it ({@link LocalSystem}, what {@code ./zkpfl demo} runs), on a stack of its own whose
 * chain mines a block every second, as a real chain does: the round's deadlines pass in chain time, which an
 * automining dev chain would not advance without transactions. Adds a chain reader for the assertions.
 */
final class SystemStack implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final DevStack stack = DevStack.start(DevStackConfig.fromEnvironment()
            .withAnvil(AnvilOptions.defaults().withBlockTime(Duration.ofSeconds(1))));
    final Path dir;
    final Path ptau;
    final LocalSystem system;
    final PlatformAddresses addresses;
    final Web3j web3j;
    final ChainClient reader;

    SystemStack(int srsPower) throws Exception {
        dir = Files.createDirectories(Path.of("target", "system-it", Long.toString(System.currentTimeMillis()))).toAbsolutePath();
        ptau = DevSrs.ensure(Path.of("target", "srs").toAbsolutePath(), srsPower, line -> { });
        try {
            system = new LocalSystem(stack, ptau, new LocalSystem.Jars(jar("marketplace.jar"), jar("node.jar"),
                    jar("engine.jar"), jar("trainer.jar")), dir).start(0);
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        var chain = system.chain();
        addresses = new PlatformAddresses(chain.get("token").asText(), chain.get("registry").asText(),
                chain.get("certifier").asText(), chain.get("market").asText());
        web3j = Web3j.build(new HttpService(stack.chain().rpcUrl()));
        reader = ChainClient.connect(web3j, stack.chain().chainId(), Credentials.create(DevChainKeys.privateKey(9)), addresses);
    }

    static Path jar(String property) {
        Path jar = Path.of(System.getProperty(property, "missing-" + property));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(property + " is not built: " + jar);
        }
        return jar;
    }

    @Override
    public void close() {
        system.close();
        web3j.shutdown();
        stack.close();
    }
}
