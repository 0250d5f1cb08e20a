package io.zkpfl.protocol.validation;

/** A sealed validation bundle that cannot be opened or does not match its commitment; the message says why. */
public class ValidationRejectedException extends RuntimeException {

    public ValidationRejectedException(String message) {
        super(message);
    }
}
