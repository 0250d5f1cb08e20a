package io.zkpfl.devstack.fault;

import java.util.Locale;

/** The components of a dev stack into which faults can be injected. */
public enum Component {
    POSTGRES, KAFKA, CHAIN, IPFS;

    /** The lower-case name used on the command line and in the fault admin API, e.g. {@code postgres}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The component with this {@link #id()}.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Component of(String id) {
        for (Component c : values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown component '" + id + "' (postgres, kafka, chain, ipfs)");
    }
}
