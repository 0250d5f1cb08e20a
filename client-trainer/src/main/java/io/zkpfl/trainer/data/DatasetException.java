package io.zkpfl.trainer.data;

/** A data set that is missing, malformed or does not fit the model; the message is one readable line. */
public final class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
