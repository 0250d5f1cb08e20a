package io.zkpfl.protocol.wire;

/** A round message that does not decode: the message names the message kind, field and offset. */
public final class WireFormatException extends IllegalArgumentException {

    public WireFormatException(String message) {
        super(message);
    }
}
