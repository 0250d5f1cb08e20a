package io.zkpfl.trainer.chain;

import picocli.CommandLine.Option;

/** Where the trainer finds the marketplace, the chain, Kafka and IPFS; each with an environment default. */
public final class Endpoints {

    @Option(names = "--marketplace", paramLabel = "URL", defaultValue = "${env:ZKPFL_MARKETPLACE:-http://127.0.0.1:8080}",
            description = "marketplace API base URL (env ZKPFL_MARKETPLACE; default: ${DEFAULT-VALUE})")
    public String marketplace;

    @Option(names = "--rpc", paramLabel = "URL", defaultValue = "${env:ZKPFL_RPC:-http://127.0.0.1:8545}",
            description = "chain JSON-RPC URL (env ZKPFL_RPC; default: ${DEFAULT-VALUE})")
    public String rpc;

    @Option(names = "--market", paramLabel = "ADDRESS", defaultValue = "${env:ZKPFL_MARKET}",
            description = "JobMarket address (env ZKPFL_MARKET); without it the addresses come from the marketplace's "
                    + "GET /api/v1/chain")
    public String market;

    public Marketplace marketplace() {
        return new Marketplace(marketplace);
    }
}
