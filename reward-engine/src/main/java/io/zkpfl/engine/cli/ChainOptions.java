package io.zkpfl.engine.cli;

import picocli.CommandLine.Option;

/** Where the deployment is. */
public final class ChainOptions {

    @Option(names = "--rpc-url", required = true, description = "JSON-RPC endpoint of the chain")
    String rpcUrl;

    @Option(names = "--chain-id", defaultValue = "31337", description = "chain id (default: ${DEFAULT-VALUE})")
    long chainId;

    @Option(names = "--market", required = true, description = "JobMarket address")
    String market;

    @Option(names = "--registry", required = true, description = "StakingRegistry address")
    String registry;

    @Option(names = "--token", required = true, description = "the fee token (PlatformToken) address")
    String token;

    ChainReader reader() {
        return new ChainReader(rpcUrl, chainId, market, registry, token);
    }
}
