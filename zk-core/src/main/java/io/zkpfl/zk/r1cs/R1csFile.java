package io.zkpfl.zk.r1cs;

import io.zkpfl.zk.bn254.Fr;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * iden3's binary {@code .r1cs} format, version 1, field BN254 (as written by circom and read by
 * snarkjs): magic {@code "r1cs"}, then a header section (field size, prime, wire counts,
 * constraint count), a constraints section (per constraint the rows A, B, C, each as a count
 * followed by {@code (wire: u32, coefficient: 32 bytes little-endian, canonical)}), and a
 * wire-to-label section (here the identity). All integers are little-endian.
 */
public final class R1csFile {

    private static final int N8 = 32;
    private static final byte[] MAGIC = {'r', '1', 'c', 's'};

    private R1csFile() {
    }

    /** Writes {@code r1cs} to {@code file}. */
    public static void write(R1cs r1cs, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(r1cs, out);
        }
    }

    /** Writes {@code r1cs} to {@code out} (streaming; the stream is not closed). */
    public static void write(R1cs r1cs, OutputStream out) throws IOException {
        LittleEndian le = new LittleEndian(out);
        out.write(MAGIC);
        le.u32(1);
        le.u32(3);

        le.u32(1);
        le.u64(4 + N8 + 4 * 4 + 8 + 4);
        le.u32(N8);
        le.field(Fr.MODULUS);
        le.u32(r1cs.numWires());
        le.u32(r1cs.numPublicOutputs());
        le.u32(r1cs.numPublic() - r1cs.numPublicOutputs());
        le.u32(r1cs.numPrivateInputs());
        le.u64(r1cs.numWires());
        le.u32(r1cs.numConstraints());

        long nnz = r1cs.nonZeros(R1cs.Matrix.A) + r1cs.nonZeros(R1cs.Matrix.B) + r1cs.nonZeros(R1cs.Matrix.C);
        le.u32(2);
        le.u64(12L * r1cs.numConstraints() + (4L + N8) * nnz);
        for (int i = 0; i < r1cs.numConstraints(); i++) {
            for (R1cs.Matrix m : R1cs.Matrix.values()) {
                LinearCombination lc = r1cs.row(m, i);
                le.u32(lc.size());
                for (int k = 0; k < lc.size(); k++) {
                    le.u32(lc.wire(k));
                    le.fr(lc.coeff(k));
                }
            }
        }

        le.u32(3);
        le.u64(8L * r1cs.numWires());
        for (int w = 0; w < r1cs.numWires(); w++) {
            le.u64(w);
        }
    }

    /**
     * Reads a version-1 BN254 {@code .r1cs} file (sections in any order; custom-gate sections are
     * rejected).
     *
     * @throws IOException on I/O errors or a malformed, truncated or non-BN254 file
     */
    public static R1cs read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, Files.size(file));
        }
    }

    private static R1cs read(InputStream raw, long fileSize) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = new byte[4];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an .r1cs file (bad magic)");
        }
        if (u32(in) != 1) {
            throw new IOException("unsupported .r1cs version");
        }
        int sections = u32(in);
        long consumed = 12;
        Header header = null;
        byte[] constraints = null;
        for (int s = 0; s < sections; s++) {
            int type = u32(in);
            long size = u64(in);
            consumed += 12;
            if (size < 0 || consumed + size > fileSize) {
                throw new IOException("section " + type + " runs past the end of the file");
            }
            switch (type) {
                case 1 -> header = readHeader(in, size);
                case 2 -> {
                    if (size > Integer.MAX_VALUE - 16) {
                        throw new IOException("constraints section too large");
                    }
                    constraints = new byte[(int) size];
                    in.readFully(constraints);
                }
                case 3 -> in.skipNBytes(size);
                default -> throw new IOException("unsupported .r1cs section type " + type);
            }
            consumed += size;
        }
        if (header == null || constraints == null) {
            throw new IOException(".r1cs file lacks a header or constraints section");
        }
        return parseConstraints(header, constraints);
    }

    private record Header(int nWires, int nPubOut, int nPubIn, int nPrvIn, int nConstraints) {
    }

    private static Header readHeader(DataInputStream in, long size) throws IOException {
        if (size != 4 + N8 + 4 * 4 + 8 + 4) {
            throw new IOException("unexpected .r1cs header size " + size);
        }
        if (u32(in) != N8) {
            throw new IOException("field element size is not 32 bytes");
        }
        byte[] p = new byte[N8];
        in.readFully(p);
        if (!fromLe(p).equals(Fr.MODULUS)) {
            throw new IOException(".r1cs file is not over the BN254 scalar field");
        }
        int nWires = u32(in);
        int nPubOut = u32(in);
        int nPubIn = u32(in);
        int nPrvIn = u32(in);
        u64(in);
        int nConstraints = u32(in);
        if (nWires < 1 || nPubOut < 0 || nPubIn < 0 || nPrvIn < 0 || nConstraints < 0
                || (long) nPubOut + nPubIn + nPrvIn >= nWires) {
            throw new IOException("inconsistent .r1cs header counts");
        }
        return new Header(nWires, nPubOut, nPubIn, nPrvIn, nConstraints);
    }

    private static R1cs parseConstraints(Header h, byte[] data) throws IOException {
        R1cs.Builder b = R1cs.builder(h.nPubOut(), h.nPubIn()).privateInputs(h.nPrvIn());
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] coeff = new byte[N8];
        try {
            for (int i = 0; i < h.nConstraints(); i++) {
                int[][] w = new int[3][];
                Fr[][] c = new Fr[3][];
                for (int m = 0; m < 3; m++) {
                    int n = buf.getInt();
                    if (n < 0 || (long) n * (4 + N8) > buf.remaining()) {
                        throw new IOException("constraint " + i + " has an impossible term count");
                    }
                    w[m] = new int[n];
                    c[m] = new Fr[n];
                    for (int k = 0; k < n; k++) {
                        w[m][k] = buf.getInt();
                        if (w[m][k] < 0 || w[m][k] >= h.nWires()) {
                            throw new IOException("constraint " + i + " uses wire " + w[m][k] + " out of range");
                        }
                        buf.get(coeff);
                        BigInteger v = fromLe(coeff);
                        if (v.compareTo(Fr.MODULUS) >= 0) {
                            throw new IOException("constraint " + i + " has a coefficient not below r");
                        }
                        c[m][k] = Fr.fromCanonical(v);
                    }
                }
                b.add(normalise(w[0], c[0]), normalise(w[1], c[1]), normalise(w[2], c[2]));
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("truncated constraints section");
        }
        if (buf.hasRemaining()) {
            throw new IOException("trailing bytes in the constraints section");
        }
        return b.build(h.nWires());
    }

    /** Sorts a row by wire, merging duplicates and dropping zero coefficients (circom rows are sorted already). */
    private static LinearCombination normalise(int[] w, Fr[] c) {
        java.util.TreeMap<Integer, Fr> terms = new java.util.TreeMap<>();
        for (int k = 0; k < w.length; k++) {
            terms.merge(w[k], c[k], Fr::add);
        }
        terms.values().removeIf(Fr::isZero);
        int[] ws = new int[terms.size()];
        Fr[] cs = new Fr[terms.size()];
        int k = 0;
        for (var e : terms.entrySet()) {
            ws[k] = e.getKey();
            cs[k++] = e.getValue();
        }
        return new LinearCombination(ws, cs);
    }

    private static int u32(DataInputStream in) throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    private static long u64(DataInputStream in) throws IOException {
        return Long.reverseBytes(in.readLong());
    }

    static BigInteger fromLe(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    /** Little-endian primitive writer. */
    static final class LittleEndian {
        private final OutputStream out;
        private final byte[] buf = new byte[N8];

        LittleEndian(OutputStream out) {
            this.out = out;
        }

        void u32(int v) throws IOException {
            for (int i = 0; i < 4; i++) {
                buf[i] = (byte) (v >>> (8 * i));
            }
            out.write(buf, 0, 4);
        }

        void u64(long v) throws IOException {
            for (int i = 0; i < 8; i++) {
                buf[i] = (byte) (v >>> (8 * i));
            }
            out.write(buf, 0, 8);
        }

        void fr(Fr f) throws IOException {
            long[] limbs = f.canonicalLimbs();
            for (int l = 0; l < 4; l++) {
                for (int i = 0; i < 8; i++) {
                    buf[8 * l + i] = (byte) (limbs[l] >>> (8 * i));
                }
            }
            out.write(buf, 0, N8);
        }

        void field(BigInteger v) throws IOException {
            byte[] be = v.toByteArray();
            java.util.Arrays.fill(buf, (byte) 0);
            for (int i = 0; i < be.length && i < N8; i++) {
                buf[i] = be[be.length - 1 - i];
            }
            out.write(buf, 0, N8);
        }
    }
}
