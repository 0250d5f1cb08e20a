package io.zkpfl.devstack.fault;

/**
 * Faults injected into one embedded component, for tests and for a running demo. Each call returns once
 * the fault is in effect (for {@link #restart()}: once the component serves clients again).
 *
 * <ul>
 *   <li>{@link #stall()}: the component keeps its connections and accepts new ones but answers nothing,
 *       as if its processes were frozen; {@link #resume()} lets everything continue where it stopped.</li>
 *   <li>{@link #kill()}: the component dies abruptly; open connections break and its port refuses new
 *       ones.</li>
 *   <li>{@link #restart()}: starts it again (killing it first if it runs) on the same port and the same
 *       data, so clients reconnect and find what was stored before.</li>
 * </ul>
 */
public interface FaultControl {

    /** Freezes the component. Idempotent; no effect when it is killed. */
    void stall();

    /** Lets a stalled component continue. Idempotent. */
    void resume();

    /** Kills the component. Idempotent. */
    void kill();

    /** Starts the component again on the same port and data; kills it first when it runs. */
    void restart();

    /** The component's current state. */
    FaultState state();
}
