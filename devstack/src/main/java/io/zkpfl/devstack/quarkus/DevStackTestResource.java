package io.zkpfl.devstack.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zkpfl.devstack.DevStack;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the {@link DevStack#shared() shared} dev stack:
 * {@code @QuarkusTestResource(DevStackTestResource.class)} (or {@code @WithTestResource}). {@link #start()}
 * returns {@link DevStack#serviceProperties()}. The stack outlives the Quarkus application and is closed
 * at JVM exit, so several test classes share one set of components.
 */
public final class DevStackTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return DevStack.shared().serviceProperties();
    }

    @Override
    public void stop() {
        // the shared stack is closed at JVM exit
    }
}
