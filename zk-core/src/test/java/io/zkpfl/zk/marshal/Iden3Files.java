package io.zkpfl.zk.marshal;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.r1cs.LinearCombination;
import io.zkpfl.zk.r1cs.R1cs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Minimal writers of iden3's binary {@code .r1cs} (version 1) and {@code .wtns} (version 2) files,
 * so these backend tests can hand a hand-built system to snarkjs without the frontend's exporter.
 */
public final class Iden3Files {

    private Iden3Files() {
    }

    public static void writeR1cs(R1cs r, Path file) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        u32(header, 32);
        header.write(le32(Fr.MODULUS));
        u32(header, r.numWires());
        u32(header, r.numPublicOutputs());
        u32(header, r.numPublic() - r.numPublicOutputs());
        u32(header, r.numPrivateInputs());
        u64(header, r.numWires());
        u32(header, r.numConstraints());

        ByteArrayOutputStream cons = new ByteArrayOutputStream();
        for (int i = 0; i < r.numConstraints(); i++) {
            lc(cons, r.a(i));
            lc(cons, r.b(i));
            lc(cons, r.c(i));
        }
        ByteArrayOutputStream map = new ByteArrayOutputStream();
        for (int i = 0; i < r.numWires(); i++) {
            u64(map, i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {'r', '1', 'c', 's'});
        u32(out, 1);
        u32(out, 3);
        section(out, 1, header.toByteArray());
        section(out, 2, cons.toByteArray());
        section(out, 3, map.toByteArray());
        Files.write(file, out.toByteArray());
    }

    public static void writeWtns(Fr[] witness, Path file) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        u32(header, 32);
        header.write(le32(Fr.MODULUS));
        u32(header, witness.length);
        ByteArrayOutputStream values = new ByteArrayOutputStream();
        for (Fr w : witness) {
            values.write(le32(w.toBigInteger()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {'w', 't', 'n', 's'});
        u32(out, 2);
        u32(out, 2);
        section(out, 1, header.toByteArray());
        section(out, 2, values.toByteArray());
        Files.write(file, out.toByteArray());
    }

    private static void lc(ByteArrayOutputStream out, LinearCombination lc) throws IOException {
        u32(out, lc.size());
        for (int k = 0; k < lc.size(); k++) {
            u32(out, lc.wire(k));
            out.write(le32(lc.coeff(k).toBigInteger()));
        }
    }

    private static void section(ByteArrayOutputStream out, int type, byte[] body) throws IOException {
        u32(out, type);
        u64(out, body.length);
        out.write(body);
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    private static byte[] le32(java.math.BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }
}
