package io.zkpfl.protocol.envelope;

/** An envelope that cannot be opened; the message says why and never contains key material. */
public final class EnvelopeRejectedException extends RuntimeException {

    public EnvelopeRejectedException(String message) {
        super(message);
    }
}
