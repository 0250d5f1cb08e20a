package io.zkpfl.devstack.fault;

/**
 * A component that runs in this JVM behind a {@link LoopbackProxy} that clients connect to: stalled by
 * the proxy's no longer forwarding, which clients cannot tell from a frozen process (ADR 0012).
 */
public abstract class ProxiedComponent extends FaultableComponent {

    /** The proxy in front of the component. */
    protected abstract LoopbackProxy proxy();

    /** Stops forwarding: clients connect, nothing is answered. */
    @Override
    protected final void freeze() {
        proxy().stall();
    }

    /** Forwards again what waited. */
    @Override
    protected final void thaw() {
        proxy().resume();
    }
}
