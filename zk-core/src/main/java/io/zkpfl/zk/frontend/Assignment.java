package io.zkpfl.zk.frontend;

import io.zkpfl.zk.bn254.Fr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Values for a circuit's inputs by name: a single element for an input declared with
 * {@code publicInput/secretInput}, an array for one declared with {@code publicInputs/secretInputs}.
 * {@link #toString()} never shows values.
 */
public final class Assignment {

    private final Map<String, Fr[]> values;

    private Assignment(Map<String, Fr[]> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Starts an empty assignment. */
    public static Builder builder() {
        return new Builder();
    }

    /** Names assigned. */
    public Set<String> names() {
        return values.keySet();
    }

    /** The values for {@code name}, or null. */
    Fr[] get(String name) {
        return values.get(name);
    }

    @Override
    public String toString() {
        return "Assignment" + values.keySet();
    }

    /** Collects values. */
    public static final class Builder {
        private final Map<String, Fr[]> values = new LinkedHashMap<>();

        /** Assigns a single input. */
        public Builder set(String name, Fr value) {
            return put(name, new Fr[] {value});
        }

        /** Assigns an array input. */
        public Builder set(String name, Fr[] values) {
            return put(name, values.clone());
        }

        private Builder put(String name, Fr[] v) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("input name must not be empty");
            }
            for (Fr f : v) {
                if (f == null) {
                    throw new IllegalArgumentException("null value for input '" + name + "'");
                }
            }
            if (values.putIfAbsent(name, v) != null) {
                throw new IllegalArgumentException("input '" + name + "' assigned twice");
            }
            return this;
        }

        /** The assignment. */
        public Assignment build() {
            return new Assignment(new LinkedHashMap<>(values));
        }
    }
}
