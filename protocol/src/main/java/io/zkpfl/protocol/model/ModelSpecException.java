package io.zkpfl.protocol.model;

/**
 * A model specification, training plan or parameter array that cannot be used. {@link #field()}
 * names the offending field as a JSON path relative to the specification (e.g. {@code layers[2].units}).
 */
public final class ModelSpecException extends IllegalArgumentException {
    private final String field;

    public ModelSpecException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** JSON path of the offending field. */
    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
