package io.zkpfl.zk.r1cs;

import io.zkpfl.zk.bn254.Fr;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * iden3's binary {@code .wtns} format, version 2 (as written by circom's witness calculator and
 * read by {@code snarkjs groth16 prove}): magic {@code "wtns"}, a header section (field size,
 * prime, number of values) and a values section (32-byte little-endian canonical elements, in
 * wire order, starting with the constant 1).
 */
public final class WtnsFile {

    private static final int N8 = 32;

    private WtnsFile() {
    }

    /** Writes a full witness (wire order, {@code witness[0] = 1}) to {@code file}. */
    public static void write(Fr[] witness, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            R1csFile.LittleEndian le = new R1csFile.LittleEndian(out);
            out.write(new byte[] {'w', 't', 'n', 's'});
            le.u32(2);
            le.u32(2);
            le.u32(1);
            le.u64(4 + N8 + 4);
            le.u32(N8);
            le.field(Fr.MODULUS);
            le.u32(witness.length);
            le.u32(2);
            le.u64((long) N8 * witness.length);
            for (Fr f : witness) {
                le.fr(f);
            }
        }
    }

    /**
     * Reads a version-2 BN254 {@code .wtns} file.
     *
     * @throws IOException on I/O errors or a malformed file (bad magic, other field, value ≥ r,
     *                     truncated data)
     */
    public static Fr[] read(Path file) throws IOException {
        if (Files.size(file) > Integer.MAX_VALUE - 16) {
            throw new IOException(".wtns file too large");
        }
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[4];
            buf.get(magic);
            if (!new String(magic, java.nio.charset.StandardCharsets.US_ASCII).equals("wtns") || buf.getInt() != 2) {
                throw new IOException("not a version-2 .wtns file");
            }
            int sections = buf.getInt();
            Fr[] values = null;
            int count = -1;
            for (int s = 0; s < sections; s++) {
                int type = buf.getInt();
                long size = buf.getLong();
                if (size < 0 || size > buf.remaining()) {
                    throw new IOException("section " + type + " runs past the end of the file");
                }
                if (type == 1) {
                    byte[] p = new byte[N8];
                    if (buf.getInt() != N8) {
                        throw new IOException("field element size is not 32 bytes");
                    }
                    buf.get(p);
                    if (!R1csFile.fromLe(p).equals(Fr.MODULUS)) {
                        throw new IOException(".wtns file is not over the BN254 scalar field");
                    }
                    count = buf.getInt();
                } else if (type == 2) {
                    if (count < 0 || size != (long) N8 * count) {
                        throw new IOException("witness values section does not match the header");
                    }
                    values = new Fr[count];
                    byte[] v = new byte[N8];
                    for (int i = 0; i < count; i++) {
                        buf.get(v);
                        BigInteger x = R1csFile.fromLe(v);
                        if (x.compareTo(Fr.MODULUS) >= 0) {
                            throw new IOException("witness value " + i + " is not below r");
                        }
                        values[i] = Fr.fromCanonical(x);
                    }
                } else {
                    buf.position(buf.position() + (int) size);
                }
            }
            if (values == null) {
                throw new IOException(".wtns file has no values section");
            }
            return values;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("truncated .wtns file");
        }
    }
}
