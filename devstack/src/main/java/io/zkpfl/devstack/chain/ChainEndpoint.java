package io.zkpfl.devstack.chain;

import java.util.Objects;

/** Where the EVM chain's JSON-RPC listens: the embedded Anvil, or an external node given by configuration. */
public sealed interface ChainEndpoint permits AnvilNode, ChainEndpoint.External {

    /** JSON-RPC URL. */
    String rpcUrl();

    /** EIP-155 chain id. */
    long chainId();

    /** An external node and the chain id it reported. */
    record External(String rpcUrl, long chainId) implements ChainEndpoint {
        public External {
            Objects.requireNonNull(rpcUrl, "rpcUrl");
            if (chainId <= 0) {
                throw new IllegalArgumentException("chain id must be positive: " + chainId);
            }
        }

        /**
         * Asks the node at {@code rpcUrl} for its chain id ({@code eth_chainId}).
         *
         * @throws IllegalStateException when the node does not answer
         */
        public static External probe(String rpcUrl) {
            try {
                return new External(rpcUrl, Long.decode(new JsonRpc(rpcUrl).call("eth_chainId", "[]").asText()));
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalStateException("external chain at " + rpcUrl + " does not answer eth_chainId: "
                        + e.getMessage(), e);
            }
        }
    }
}
