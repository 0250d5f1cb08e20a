package io.zkpfl.zk.mpcsetup;

/**
 * A phase-2 transcript that does not verify or cannot be read. {@link #contribution()} is the
 * 1-based index of the offending contribution, or 0 when the problem is not tied to one (format,
 * initial key).
 */
public final class Phase2Exception extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int contribution;

    Phase2Exception(int contribution, String message) {
        super(contribution > 0 ? "phase-2 contribution " + contribution + ": " + message : "phase-2 transcript: " + message);
        this.contribution = contribution;
    }

    Phase2Exception(String message, Throwable cause) {
        super("phase-2 transcript: " + message, cause);
        this.contribution = 0;
    }

    /** The 1-based index of the rejected contribution, or 0. */
    public int contribution() {
        return contribution;
    }
}
