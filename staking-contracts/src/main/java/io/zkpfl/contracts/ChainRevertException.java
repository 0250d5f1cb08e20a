package io.zkpfl.contracts;

/** A transaction or call that the chain reverted, with its decoded reason. */
public final class ChainRevertException extends RuntimeException {

    private final RevertReason reason;

    public ChainRevertException(String operation, RevertReason reason) {
        super(operation + " reverted: " + reason);
        this.reason = reason;
    }

    /** The decoded revert reason. */
    public RevertReason reason() {
        return reason;
    }
}
