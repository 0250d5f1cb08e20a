package io.zkpfl.trainer.round;

/**
 * A refusal or an unreachable dependency, reported as one line on stderr with its own exit code
 * ({@link #REFUSED} or {@link #UNAVAILABLE}); the message says what to do about it and never carries a key,
 * share or password.
 */
public final class TrainerException extends RuntimeException {

    /** The chain, a check or the wallet said no: not staked, job full or closed, model hash mismatch, wrong password. */
    public static final int REFUSED = 4;
    /** A dependency (chain, Kafka, IPFS, marketplace) could not be reached. */
    public static final int UNAVAILABLE = 5;

    private final int exitCode;

    private TrainerException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A refusal (exit {@value #REFUSED}). */
    public static TrainerException refused(String message) {
        return new TrainerException(REFUSED, message, null);
    }

    /** An unreachable dependency (exit {@value #UNAVAILABLE}). */
    public static TrainerException unavailable(String message, Throwable cause) {
        return new TrainerException(UNAVAILABLE, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
