package io.zkpfl.devstack.ipfs;

import java.util.Objects;

/** Where the Kubo RPC API listens: the embedded store, or an external Kubo node given by configuration. */
public sealed interface IpfsEndpoint permits IpfsStore, IpfsEndpoint.External {

    /** RPC API base URL, e.g. {@code http://127.0.0.1:5001}. */
    String apiUrl();

    /** An external Kubo node. */
    record External(String apiUrl) implements IpfsEndpoint {
        public External {
            Objects.requireNonNull(apiUrl, "apiUrl");
            if (!apiUrl.startsWith("http://") && !apiUrl.startsWith("https://")) {
                throw new IllegalArgumentException("IPFS API URL must be http(s): " + apiUrl);
            }
        }
    }
}
