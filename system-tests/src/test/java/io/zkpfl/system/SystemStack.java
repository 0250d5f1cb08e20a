package io.zkpfl.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.devstack.DevStack;
import io.zkpfl.devstack.DevStackConfig;
import io.zkpfl.devstack.chain.AnvilOptions;
import io.zkpfl.devstack.demo.LocalSystem;
import io.zkpfl.devstack.demo.ServiceProcess;
import io.zkpfl.protocol.chain.DevChainKeys;
import io.zkpfl.zk.kzg.DevSrs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
    /** A second marketplace instance, reading the engine's audit API: what the dashboard test opens. */
    final ServiceProcess dashboard;
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
        try {
            dashboard = dashboard();
        } catch (RuntimeException e) {
            system.close();
            stack.close();
            throw e;
        }
        web3j = Web3j.build(new HttpService(stack.chain().rpcUrl()));
        reader = ChainClient.connect(web3j, stack.chain().chainId(), Credentials.create(DevChainKeys.privateKey(9)), addresses);
    }

    /**
     * A replica of the marketplace on the same database and platform with {@code zkpfl.audit.url} pointing at the
     * engine, which {@link LocalSystem} starts after the marketplace. Its relayer and outbox workers are left idle (the
     * first instance submits the jobs and relays their events), so the two instances never race for the relayer's nonce.
     */
    private ServiceProcess dashboard() {
        Map<String, String> p = new LinkedHashMap<>(stack.serviceProperties());
        p.put("zkpfl.chain.id", Long.toString(stack.chain().chainId()));
        p.put("zkpfl.chain.rpc-url", stack.chain().rpcUrl());
        for (String c : new String[] {"token", "registry", "certifier", "market"}) {
            p.put("zkpfl.chain.contracts." + c, system.chain().get(c).asText());
        }
        p.put("zkpfl.chain.relayer-key", DevChainKeys.privateKey(0));
        p.put("zkpfl.chain.evaluator", LocalSystem.address(DevChainKeys.privateKey(LocalSystem.EVALUATOR)));
        p.put("zkpfl.chain.submit-interval", "24h");
        p.put("zkpfl.outbox.poll-interval", "24h");
        p.put("zkpfl.audit.url", system.engine().baseUrl().toString());
        for (String dependency : new String[] {"db", "chain", "ipfs", "audit"}) {
            p.put("zkpfl." + dependency + ".timeout", "PT15S");
        }
        return ServiceProcess.start("dashboard", jar("marketplace.jar"), p, 0,
                dir.resolve("dashboard.log"), Duration.ofMinutes(5));
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
        if (dashboard != null) {
            dashboard.close();
        }
        system.close();
        web3j.shutdown();
        stack.close();
    }
}
