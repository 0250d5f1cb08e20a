package io.zkpfl.protocol.ipfs;

/**
 * Outcome of a UnixFS import.
 *
 * @param root       the root CID, as {@code ipfs add} prints it
 * @param fileSize   number of file bytes imported
 * @param dagSize    cumulative size of all blocks (Kubo's {@code Size} in the {@code add} response)
 * @param blockCount number of blocks produced (the root included)
 */
public record ImportResult(Cid root, long fileSize, long dagSize, long blockCount) {
}
