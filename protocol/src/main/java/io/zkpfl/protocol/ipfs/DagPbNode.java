package io.zkpfl.protocol.ipfs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A dag-pb (MerkleDAG protobuf) node: {@code PBNode { repeated PBLink Links = 2; optional bytes Data = 1; }},
 * encoded canonically (links first, then data), as Kubo writes it.
 *
 * @param links the links, in order
 * @param data  the payload (for UnixFS, an encoded {@link UnixFsData}); {@code null} when absent
 */
public record DagPbNode(List<DagPbLink> links, byte[] data) {

    public DagPbNode {
        links = List.copyOf(links);
        data = data == null ? null : data.clone();
    }

    /** The payload (a copy), or {@code null}. */
    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    /** Canonical encoding. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data == null ? 64 : data.length + 16 + links.size() * 48);
        for (DagPbLink link : links) {
            ByteArrayOutputStream l = new ByteArrayOutputStream(48);
            Protobuf.writeBytes(l, 1, link.cid().toBytes());
            Protobuf.writeBytes(l, 2, link.name().getBytes(StandardCharsets.UTF_8));
            Protobuf.writeVarint(l, 3, link.tsize());
            Protobuf.writeBytes(out, 2, l.toByteArray());
        }
        if (data != null) {
            Protobuf.writeBytes(out, 1, data);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a dag-pb block.
     *
     * @throws IllegalArgumentException when the bytes are not a valid dag-pb node
     */
    public static DagPbNode decode(byte[] block) {
        List<DagPbLink> links = new ArrayList<>();
        byte[] data = null;
        Protobuf.Reader r = new Protobuf.Reader(block);
        while (r.hasMore()) {
            int field = r.nextField();
            if (field == 2) {
                links.add(decodeLink(r.readBytes()));
            } else if (field == 1) {
                data = r.readBytes();
            } else {
                throw new IllegalArgumentException("unexpected field " + field + " in dag-pb node");
            }
        }
        return new DagPbNode(links, data);
    }

    private static DagPbLink decodeLink(byte[] bytes) {
        Protobuf.Reader r = new Protobuf.Reader(bytes);
        Cid cid = null;
        String name = "";
        long tsize = 0;
        while (r.hasMore()) {
            int field = r.nextField();
            switch (field) {
                case 1 -> cid = Cid.fromBytes(r.readBytes());
                case 2 -> name = new String(r.readBytes(), StandardCharsets.UTF_8);
                case 3 -> tsize = r.readVarint();
                default -> throw new IllegalArgumentException("unexpected field " + field + " in dag-pb link");
            }
        }
        if (cid == null) {
            throw new IllegalArgumentException("dag-pb link without hash");
        }
        return new DagPbLink(cid, name, tsize);
    }
}
