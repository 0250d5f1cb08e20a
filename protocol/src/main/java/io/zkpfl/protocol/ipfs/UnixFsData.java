package io.zkpfl.protocol.ipfs;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The UnixFS {@code Data} protobuf carried in a dag-pb node's payload (the fields zkPFL uses):
 * {@code Type = 1, Data = 2, filesize = 3, repeated blocksizes = 4}.
 *
 * @param type       {@link #RAW}, {@link #DIRECTORY}, {@link #FILE}, …
 * @param data       inline file bytes; {@code null} when absent
 * @param filesize   total file bytes below this node; -1 when absent
 * @param blocksizes file bytes under each link, in link order
 */
public record UnixFsData(int type, byte[] data, long filesize, List<Long> blocksizes) {

    /** UnixFS type Raw. */
    public static final int RAW = 0;
    /** UnixFS type Directory. */
    public static final int DIRECTORY = 1;
    /** UnixFS type File. */
    public static final int FILE = 2;

    public UnixFsData {
        data = data == null ? null : data.clone();
        blocksizes = List.copyOf(blocksizes);
    }

    /** Inline bytes (a copy) or {@code null}. */
    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    int dataLength() {
        return data == null ? 0 : data.length;
    }

    byte[] dataUnsafe() {
        return data;
    }

    /** Encoding in field order, as go-unixfs writes it. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(dataLength() + 16 + blocksizes.size() * 4);
        Protobuf.writeVarint(out, 1, type);
        if (data != null) {
            Protobuf.writeBytes(out, 2, data);
        }
        if (filesize >= 0) {
            Protobuf.writeVarint(out, 3, filesize);
        }
        for (long size : blocksizes) {
            Protobuf.writeVarint(out, 4, size);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a UnixFS Data message; unknown fields (hash type, fanout, mode, mtime) are skipped.
     *
     * @throws IllegalArgumentException when the bytes are not a valid message
     */
    public static UnixFsData decode(byte[] bytes) {
        Protobuf.Reader r = new Protobuf.Reader(bytes);
        int type = -1;
        byte[] data = null;
        long filesize = -1;
        List<Long> blocksizes = new ArrayList<>();
        while (r.hasMore()) {
            int field = r.nextField();
            switch (field) {
                case 1 -> type = (int) r.readVarint();
                case 2 -> data = r.readBytes();
                case 3 -> filesize = r.readVarint();
                case 4 -> blocksizes.add(r.readVarint());
                default -> r.skip();
            }
        }
        if (type < 0) {
            throw new IllegalArgumentException("UnixFS data without a type");
        }
        return new UnixFsData(type, data, filesize, blocksizes);
    }

}
