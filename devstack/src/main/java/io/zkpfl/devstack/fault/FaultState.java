package io.zkpfl.devstack.fault;

/** Where a component stands with respect to injected faults. */
public enum FaultState {
    /** Serving clients. */
    RUNNING,
    /** Accepting connections but answering nothing until resumed. */
    STALLED,
    /** Gone: its port refuses connections until it is restarted. */
    KILLED
}
