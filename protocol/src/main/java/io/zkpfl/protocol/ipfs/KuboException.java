package io.zkpfl.protocol.ipfs;

import java.io.IOException;

/** A Kubo RPC call failed; the message is Kubo's own error message. */
public final class KuboException extends IOException {

    private final int status;

    /**
     * @param status  HTTP status of the response
     * @param message Kubo's {@code Message}, or the response text when it was not Kubo's JSON error shape
     */
    public KuboException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** HTTP status of the failed call. */
    public int status() {
        return status;
    }
}
