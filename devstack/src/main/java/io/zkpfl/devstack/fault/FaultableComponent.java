package io.zkpfl.devstack.fault;

/**
 * The fault state machine that every embedded component shares: {@link #stall()} only freezes a running
 * component, {@link #resume()} only thaws a stalled one, {@link #kill()} is idempotent and
 * {@link #restart()} kills first. Components supply the four actions; this class keeps the state.
 */
public abstract class FaultableComponent implements FaultControl {

    private volatile FaultState state = FaultState.RUNNING;

    /** Makes the running component stop answering while keeping its connections. */
    protected abstract void freeze();

    /** Lets the frozen component continue where it stopped. */
    protected abstract void thaw();

    /** Ends the component abruptly; {@code stalled} says whether it is frozen right now. */
    protected abstract void terminate(boolean stalled);

    /** Starts the killed component again on the same data and port; returns once it serves clients. */
    protected abstract void startAgain();

    @Override
    public final synchronized void stall() {
        if (state == FaultState.RUNNING) {
            freeze();
            state = FaultState.STALLED;
        }
    }

    @Override
    public final synchronized void resume() {
        if (state == FaultState.STALLED) {
            thaw();
            state = FaultState.RUNNING;
        }
    }

    @Override
    public final synchronized void kill() {
        if (state != FaultState.KILLED) {
            terminate(state == FaultState.STALLED);
            state = FaultState.KILLED;
        }
    }

    @Override
    public final synchronized void restart() {
        kill();
        startAgain();
        state = FaultState.RUNNING;
    }

    @Override
    public final FaultState state() {
        return state;
    }
}
