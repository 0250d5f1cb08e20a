package io.zkpfl.zk.kzg;

/**
 * A {@code .ptau} file or a powers-of-tau transcript that cannot be read or does not verify. The
 * message names the section (snarkjs' names: {@code header}, {@code tauG1}, {@code tauG2},
 * {@code alphaTauG1}, {@code betaTauG1}, {@code betaG2}, {@code contributions}) and, where there is
 * one, the 0-based point index or the 1-based contribution number.
 */
public final class PtauException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String section;
    private final long index;

    PtauException(String section, long index, String message) {
        super("ptau " + section + (index >= 0 ? "[" + index + "]" : "") + ": " + message);
        this.section = section;
        this.index = index;
    }

    PtauException(String section, String message) {
        this(section, -1, message);
    }

    PtauException(String section, String message, Throwable cause) {
        super("ptau " + section + ": " + message, cause);
        this.section = section;
        this.index = -1;
    }

    /** The section (snarkjs' name) or {@code "file"}, {@code "transcript"}. */
    public String section() {
        return section;
    }

    /** The point index within the section, the contribution number for {@code contributions}, or −1. */
    public long index() {
        return index;
    }
}
