package io.zkpfl.devstack.fault;

import java.util.List;

/** A component run as child processes: stalled by SIGSTOP and resumed by SIGCONT of all of them. */
public abstract class SignalledComponent extends FaultableComponent {

    /** The component's live processes (the main one first). */
    protected abstract List<ProcessHandle> processes();

    /** Sends SIGSTOP to every process: connections stay open, nothing is answered. */
    @Override
    protected final void freeze() {
        UnixSignal.stopAll(processes());
    }

    /** Sends SIGCONT to every process. */
    @Override
    protected final void thaw() {
        UnixSignal.CONT.send(processes());
    }
}
