package io.zkpfl.protocol.ipfs;

import java.io.IOException;

/** Content did not hash to the CID it was fetched by: the store returned wrong or corrupted data. */
public final class ContentMismatchException extends IOException {

    /** Creates the exception with a message naming the expected CID. */
    public ContentMismatchException(String message) {
        super(message);
    }
}
