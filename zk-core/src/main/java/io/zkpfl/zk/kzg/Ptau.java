package io.zkpfl.zk.kzg;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.bn254.MsmG1;
import io.zkpfl.zk.bn254.MsmG2;
import io.zkpfl.zk.bn254.Pairing;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * The accumulator of a BN254 powers-of-tau ceremony in snarkjs' {@code .ptau} format (iden3
 * binary container {@code "ptau"}, version 1): {@code tauG1 = [τ^i]_1} for
 * {@code i < 2·2^power − 1}, {@code tauG2 = [τ^i]_2}, {@code alphaTauG1 = [α·τ^i]_1} and
 * {@code betaTauG1 = [β·τ^i]_1} for {@code i < 2^power}, {@code betaG2 = [β]_2}, and the list of
 * contributions that produced them. Sections 12–15 (the Lagrange bases written by
 * {@code snarkjs powersoftau prepare phase2}) are skipped when reading and not written.
 *
 * <p>{@link #read} checks everything a user of the points relies on: the container, the header
 * (BN254, power ≤ 28), every section's exact size, every coordinate below p, every point on its
 * curve and every G2 point in the order-r subgroup (G1 has prime order), the first powers
 * against the generators, τ, α, β ≠ 0, and — by random linear combinations and one two-pairing
 * check per section — that each section really holds successive powers of one τ (the same τ in
 * G1 and G2) and that {@code betaG2} matches {@code betaTauG1}. When a combination fails, a
 * binary search over prefixes finds the first point that breaks the chain, which the
 * {@link PtauException} names. It does <em>not</em> verify the contributions' proofs of
 * knowledge: that is {@link PowersOfTau#verify}.
 *
 * <p>Instances are immutable; a prefix read ({@link #read(Path, int, int)}) is marked
 * {@linkplain #complete() incomplete} and cannot be written or verified as a ceremony.
 */
public final class Ptau {

    /** Largest power accepted (snarkjs' own limit for BN254). */
    public static final int MAX_POWER = 28;

    static final int HEADER = 1;
    static final int TAU_G1 = 2;
    static final int TAU_G2 = 3;
    static final int ALPHA_TAU_G1 = 4;
    static final int BETA_TAU_G1 = 5;
    static final int BETA_G2 = 6;
    static final int CONTRIBUTIONS = 7;
    private static final String[] NAMES = {"?", "header", "tauG1", "tauG2", "alphaTauG1", "betaTauG1", "betaG2",
        "contributions"};
    private static final byte[] MAGIC = {'p', 't', 'a', 'u'};
    private static final int HEADER_BYTES = 4 + 32 + 4 + 4;
    /** Bytes of one contribution without its parameters. */
    private static final int CONTRIBUTION_FIXED = 3 * 64 + 2 * 128 + 6 * 64 + 3 * 128
            + PtauContribution.PARTIAL_HASH_BYTES + PtauContribution.HASH_BYTES + 4 + 4;

    final int power;
    final int ceremonyPower;
    final G1[] tauG1;
    final G2[] tauG2;
    final G1[] alphaTauG1;
    final G1[] betaTauG1;
    final G2 betaG2;
    final List<PtauContribution> contributions;
    final boolean complete;
    /** Set once {@link #checkPowers} has passed (by {@link #read}), so a ceremony verification does not redo it. */
    volatile boolean powersChecked;

    /** Takes the arrays as they are (callers pass fresh ones); checks shapes only. */
    Ptau(int power, int ceremonyPower, G1[] tauG1, G2[] tauG2, G1[] alphaTauG1, G1[] betaTauG1, G2 betaG2,
            List<PtauContribution> contributions, boolean complete) {
        if (power < 1 || power > MAX_POWER || ceremonyPower < power || ceremonyPower > MAX_POWER) {
            throw new IllegalArgumentException("power " + power + " / ceremony power " + ceremonyPower + " out of range");
        }
        if (complete && (tauG1.length != tauG1Length(power) || tauG2.length != 1 << power
                || alphaTauG1.length != 1 << power || betaTauG1.length != 1 << power)) {
            throw new IllegalArgumentException("section lengths do not match power " + power);
        }
        this.power = power;
        this.ceremonyPower = ceremonyPower;
        this.tauG1 = tauG1;
        this.tauG2 = tauG2;
        this.alphaTauG1 = alphaTauG1;
        this.betaTauG1 = betaTauG1;
        this.betaG2 = betaG2;
        this.contributions = List.copyOf(contributions);
        this.complete = complete;
    }

    /** Number of tauG1 points in a file of {@code power}: {@code 2·2^power − 1}. */
    public static int tauG1Length(int power) {
        return (2 << power) - 1;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads and checks a whole {@code .ptau} file (see the class comment for what is checked).
     *
     * @throws PtauException if the file is malformed or its powers are inconsistent
     * @throws IOException if it cannot be read
     */
    public static Ptau read(Path file) throws IOException {
        return read(file, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Reads and checks a prefix: the first {@code g1Powers} points of tauG1 and of alphaTauG1 and
     * betaTauG1 (as far as they go), and the first {@code g2Powers} points of tauG2. The whole
     * container, header and contributions section are still checked. A KZG SRS of length D needs
     * {@code read(file, D, 2)}.
     *
     * @param g1Powers at least 2
     * @param g2Powers at least 2
     * @throws PtauException if the file is malformed or its prefix inconsistent (a file with fewer
     *     points than asked for is read whole; {@link #tauG1Count()} says how many there are)
     */
    public static Ptau read(Path file, int g1Powers, int g2Powers) throws IOException {
        if (g1Powers < 2 || g2Powers < 2) {
            throw new IllegalArgumentException("read at least 2 powers in G1 and G2");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, g1Powers, g2Powers);
        }
    }

    private record Section(long pos, long size) {
    }

    private static Ptau read(FileChannel ch, int g1Powers, int g2Powers) throws IOException {
        long fileSize = ch.size();
        if (fileSize < 12) {
            throw new PtauException("file", "only " + fileSize + " bytes, not a ptau file");
        }
        ByteBuffer head = readAt(ch, 0, 12);
        if (!Arrays.equals(Arrays.copyOf(head.array(), 4), MAGIC)) {
            throw new PtauException("file", "bad magic (not a ptau file)");
        }
        int version = head.getInt(4);
        if (version != 1) {
            throw new PtauException("file", "unsupported container version " + Integer.toUnsignedString(version));
        }
        long nSections = Integer.toUnsignedLong(head.getInt(8));
        Section[] sections = new Section[CONTRIBUTIONS + 1];
        long pos = 12;
        for (long i = 0; i < nSections; i++) {
            if (pos + 12 > fileSize) {
                throw new PtauException("file", "truncated: section table entry " + i + " of " + nSections
                        + " starts at byte " + pos + " of " + fileSize);
            }
            ByteBuffer sh = readAt(ch, pos, 12);
            long type = Integer.toUnsignedLong(sh.getInt(0));
            long size = sh.getLong(4);
            if (size < 0 || pos + 12 + size > fileSize) {
                throw new PtauException(type >= 1 && type <= CONTRIBUTIONS ? NAMES[(int) type] : "file",
                        "truncated: section of type " + type + " claims " + Long.toUnsignedString(size)
                                + " bytes at byte " + (pos + 12) + ", the file has " + fileSize);
            }
            if (type >= 1 && type <= CONTRIBUTIONS) {
                if (sections[(int) type] != null) {
                    throw new PtauException(NAMES[(int) type], "section appears twice");
                }
                sections[(int) type] = new Section(pos + 12, size);
            }
            pos += 12 + size;
        }
        if (pos != fileSize) {
            throw new PtauException("file", (fileSize - pos) + " trailing bytes after the last section");
        }
        for (int t = HEADER; t <= CONTRIBUTIONS; t++) {
            if (sections[t] == null) {
                throw new PtauException(NAMES[t], "section missing");
            }
        }
        // header
        Section hs = sections[HEADER];
        if (hs.size != HEADER_BYTES) {
            throw new PtauException("header", "size " + hs.size + ", expected " + HEADER_BYTES + " (n8 = 32, BN254)");
        }
        ByteBuffer h = readAt(ch, hs.pos, HEADER_BYTES);
        if (h.getInt(0) != 32) {
            throw new PtauException("header", "field size " + h.getInt(0) + " bytes, BN254 has 32");
        }
        byte[] q = new byte[32];
        h.get(4, q);
        if (!new BigInteger(1, reverse(q)).equals(Fp.MODULUS)) {
            throw new PtauException("header", "the curve is not BN254 (base field modulus differs)");
        }
        int power = h.getInt(36);
        int ceremonyPower = h.getInt(40);
        if (power < 1 || power > MAX_POWER) {
            throw new PtauException("header", "power " + power + " outside 1.." + MAX_POWER);
        }
        if (ceremonyPower < power || ceremonyPower > MAX_POWER) {
            throw new PtauException("header", "ceremony power " + ceremonyPower + " below power " + power + " or above "
                    + MAX_POWER);
        }
        long n = 1L << power;
        expectSize(sections, TAU_G1, (2 * n - 1) * 64);
        expectSize(sections, TAU_G2, n * 128);
        expectSize(sections, ALPHA_TAU_G1, n * 64);
        expectSize(sections, BETA_TAU_G1, n * 64);
        expectSize(sections, BETA_G2, 128);

        int nTau1 = (int) Math.min(g1Powers, 2 * n - 1);
        int nOthers = (int) Math.min(g1Powers, n);
        int nTau2 = (int) Math.min(g2Powers, n);
        G1[] tauG1 = readG1(ch, sections[TAU_G1], TAU_G1, nTau1);
        G2[] tauG2 = readG2(ch, sections[TAU_G2], TAU_G2, nTau2);
        G1[] alphaTauG1 = readG1(ch, sections[ALPHA_TAU_G1], ALPHA_TAU_G1, nOthers);
        G1[] betaTauG1 = readG1(ch, sections[BETA_TAU_G1], BETA_TAU_G1, nOthers);
        G2 betaG2 = readG2(ch, sections[BETA_G2], BETA_G2, 1)[0];
        List<PtauContribution> contributions = readContributions(ch, sections[CONTRIBUTIONS]);
        boolean complete = nTau1 == 2 * n - 1 && nTau2 == n && nOthers == n;
        Ptau ptau = new Ptau(power, ceremonyPower, tauG1, tauG2, alphaTauG1, betaTauG1, betaG2, contributions, complete);
        ptau.checkPowers(new SecureRandom());
        ptau.powersChecked = true;
        return ptau;
    }

    private static void expectSize(Section[] sections, int type, long expected) {
        if (sections[type].size != expected) {
            throw new PtauException(NAMES[type], "size " + sections[type].size + " bytes, expected " + expected
                    + " for the header's power");
        }
    }

    private static G1[] readG1(FileChannel ch, Section s, int type, int count) throws IOException {
        return readPoints(ch, s, type, count, 64, new G1[count], PtauCodec::g1FromLem);
    }

    private static G2[] readG2(FileChannel ch, Section s, int type, int count) throws IOException {
        return readPoints(ch, s, type, count, 128, new G2[count], PtauCodec::g2FromLem);
    }

    /** Decodes {@code count} points of {@code width} bytes in parallel; the first bad one is reported. */
    private static <P> P[] readPoints(FileChannel ch, Section s, int type, int count, int width, P[] out,
                                      PointDecoder<P> decoder) throws IOException {
        ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, s.pos, (long) count * width).order(ByteOrder.LITTLE_ENDIAN);
        AtomicLong firstBad = new AtomicLong(Long.MAX_VALUE);
        String[] why = new String[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            try {
                out[i] = decoder.decode(b, i * width);
            } catch (IllegalArgumentException e) {
                why[i] = e.getMessage();
                firstBad.accumulateAndGet(i, Math::min);
            }
        });
        if (firstBad.get() != Long.MAX_VALUE) {
            int i = (int) firstBad.get();
            throw new PtauException(NAMES[type], i, why[i]);
        }
        return out;
    }

    /** Decodes one point at an offset of a little-endian Montgomery buffer. */
    @FunctionalInterface
    private interface PointDecoder<P> {
        P decode(ByteBuffer b, int offset);
    }

    private static List<PtauContribution> readContributions(FileChannel ch, Section s) throws IOException {
        if (s.size < 4 || s.size > Integer.MAX_VALUE) {
            throw new PtauException("contributions", "section size " + s.size + " out of range");
        }
        ByteBuffer b = readAt(ch, s.pos, (int) s.size);
        long count = Integer.toUnsignedLong(b.getInt());
        if (count * CONTRIBUTION_FIXED > s.size - 4) {
            throw new PtauException("contributions", count + " contributions cannot fit in " + s.size + " bytes");
        }
        List<PtauContribution> list = new ArrayList<>((int) count);
        for (int i = 1; i <= count; i++) {
            try {
                list.add(readContribution(b));
            } catch (BufferUnderflowException e) {
                throw new PtauException("contributions", i, "truncated");
            } catch (PtauException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new PtauException("contributions", i, e.getMessage());
            }
        }
        if (b.hasRemaining()) {
            throw new PtauException("contributions", b.remaining() + " bytes after the last contribution");
        }
        return list;
    }

    private static PtauContribution readContribution(ByteBuffer b) {
        G1 tauG1 = g1(b, "tauG1");
        G2 tauG2 = g2(b, "tauG2");
        G1 alphaG1 = g1(b, "alphaG1");
        G1 betaG1 = g1(b, "betaG1");
        G2 betaG2 = g2(b, "betaG2");
        G1 tauS = g1(b, "key.tau.g1_s");
        G1 tauSx = g1(b, "key.tau.g1_sx");
        G1 alphaS = g1(b, "key.alpha.g1_s");
        G1 alphaSx = g1(b, "key.alpha.g1_sx");
        G1 betaS = g1(b, "key.beta.g1_s");
        G1 betaSx = g1(b, "key.beta.g1_sx");
        G2 tauSpx = g2(b, "key.tau.g2_spx");
        G2 alphaSpx = g2(b, "key.alpha.g2_spx");
        G2 betaSpx = g2(b, "key.beta.g2_spx");
        byte[] partial = new byte[PtauContribution.PARTIAL_HASH_BYTES];
        b.get(partial);
        byte[] next = new byte[PtauContribution.HASH_BYTES];
        b.get(next);
        int type = b.getInt();
        if (type != PtauContribution.TYPE_CONTRIBUTION && type != PtauContribution.TYPE_BEACON) {
            throw new IllegalArgumentException("unknown contribution type " + type);
        }
        long paramLength = Integer.toUnsignedLong(b.getInt());
        if (paramLength > b.remaining()) {
            throw new IllegalArgumentException("parameters claim " + paramLength + " bytes, " + b.remaining() + " left");
        }
        int end = b.position() + (int) paramLength;
        String name = null;
        int iterExp = 0;
        byte[] beacon = new byte[0];
        int last = 0;
        while (b.position() < end) {
            int t = b.get() & 0xFF;
            if (t <= last) {
                throw new IllegalArgumentException("parameters not sorted");
            }
            last = t;
            switch (t) {
                case 1 -> {
                    byte[] s = new byte[b.get() & 0xFF];
                    b.get(s);
                    name = new String(s, StandardCharsets.UTF_8);
                }
                case 2 -> iterExp = b.get() & 0xFF;
                case 3 -> {
                    beacon = new byte[b.get() & 0xFF];
                    b.get(beacon);
                }
                default -> throw new IllegalArgumentException("unknown parameter " + t);
            }
        }
        if (b.position() != end) {
            throw new IllegalArgumentException("parameters overrun their length");
        }
        return new PtauContribution(tauG1, tauG2, alphaG1, betaG1, betaG2, new PtauContribution.Key(tauS, tauSx, tauSpx),
                new PtauContribution.Key(alphaS, alphaSx, alphaSpx), new PtauContribution.Key(betaS, betaSx, betaSpx),
                partial, next, type, name, iterExp, beacon);
    }

    private static G1 g1(ByteBuffer b, String what) {
        int p = b.position();
        if (b.remaining() < 64) {
            throw new BufferUnderflowException();
        }
        b.position(p + 64);
        try {
            return PtauCodec.g1FromLem(b, p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
    }

    private static G2 g2(ByteBuffer b, String what) {
        int p = b.position();
        if (b.remaining() < 128) {
            throw new BufferUnderflowException();
        }
        b.position(p + 128);
        try {
            return PtauCodec.g2FromLem(b, p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
    }

    private static ByteBuffer readAt(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new PtauException("file", "truncated at byte " + (pos + b.position()));
            }
        }
        return b.flip();
    }

    private static byte[] reverse(byte[] a) {
        byte[] r = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    // ------------------------------------------------------------------ checks

    /**
     * The pairing checks of the class comment, with scalars from {@code rng}.
     *
     * @throws PtauException naming the section and the first inconsistent point
     */
    void checkPowers(RandomGenerator rng) {
        if (!tauG1[0].equals(G1.GENERATOR)) {
            throw new PtauException("tauG1", 0, "not the G1 generator");
        }
        if (!tauG2[0].equals(G2.GENERATOR)) {
            throw new PtauException("tauG2", 0, "not the G2 generator");
        }
        if (tauG1[1].isInfinity()) {
            throw new PtauException("tauG1", 1, "infinity (tau = 0)");
        }
        G2 tau2 = tauG2[1];
        if (!Pairing.check(new G1[] {tauG1[1], tauG1[0].neg()}, new G2[] {G2.GENERATOR, tau2})) {
            throw new PtauException("tauG2", 1, "is not tau·G2 for the tau of tauG1[1]");
        }
        checkG1Powers("tauG1", tauG1, tau2, rng);
        int bad = firstBreak(tauG2.length, m -> g2PrefixConsistent(m, rng));
        if (bad >= 0) {
            throw new PtauException("tauG2", bad, "is not tau times the previous point");
        }
        if (alphaTauG1[0].isInfinity()) {
            throw new PtauException("alphaTauG1", 0, "infinity (alpha = 0)");
        }
        checkG1Powers("alphaTauG1", alphaTauG1, tau2, rng);
        if (betaTauG1[0].isInfinity()) {
            throw new PtauException("betaTauG1", 0, "infinity (beta = 0)");
        }
        checkG1Powers("betaTauG1", betaTauG1, tau2, rng);
        if (!Pairing.check(new G1[] {betaTauG1[0], tauG1[0].neg()}, new G2[] {G2.GENERATOR, betaG2})) {
            throw new PtauException("betaG2", 0, "is not beta·G2 for the beta of betaTauG1[0]");
        }
    }

    private static void checkG1Powers(String section, G1[] pts, G2 tau2, RandomGenerator rng) {
        int bad = firstBreak(pts.length, m -> g1PrefixConsistent(pts, m, tau2, rng));
        if (bad >= 0) {
            throw new PtauException(section, bad, "is not tau times the previous point");
        }
    }

    /**
     * −1 if the {@code n} points form a chain, else the first index i ≥ 1 whose point is not τ times
     * point i−1; {@code consistent.test(m)} says whether points 0..m form a chain (monotone in m).
     */
    static int firstBreak(int n, IntPredicate consistent) {
        if (n < 2 || consistent.test(n - 1)) {
            return -1;
        }
        int lo = 0; // consistent up to lo
        int hi = n - 1; // inconsistent up to hi
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (consistent.test(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** Whether pts[i+1] = τ·pts[i] for all i < m, by one random combination: e(Σ r_i·P_{i+1}, 1) = e(Σ r_i·P_i, τ). */
    private static boolean g1PrefixConsistent(G1[] pts, int m, G2 tau2, RandomGenerator rng) {
        if (m == 0) {
            return true;
        }
        Fr[] r = randomScalars(m, rng);
        G1 lower = MsmG1.msm(Arrays.copyOfRange(pts, 0, m), r);
        G1 upper = MsmG1.msm(Arrays.copyOfRange(pts, 1, m + 1), r);
        return Pairing.check(new G1[] {upper, lower.neg()}, new G2[] {G2.GENERATOR, tau2});
    }

    /** Whether tauG2[i+1] = τ·tauG2[i] for all i < m: e(G, Σ r_i·T_{i+1}) = e(τ·G, Σ r_i·T_i). */
    private boolean g2PrefixConsistent(int m, RandomGenerator rng) {
        if (m == 0) {
            return true;
        }
        Fr[] r = randomScalars(m, rng);
        G2 lower = MsmG2.msm(Arrays.copyOfRange(tauG2, 0, m), r);
        G2 upper = MsmG2.msm(Arrays.copyOfRange(tauG2, 1, m + 1), r);
        return Pairing.check(new G1[] {tauG1[0], tauG1[1].neg()}, new G2[] {upper, lower});
    }

    /** Nonzero 128-bit scalars (error probability 2^−128 per check, half the MSM work of full ones). */
    static Fr[] randomScalars(int n, RandomGenerator rng) {
        Fr[] r = new Fr[n];
        for (int i = 0; i < n; i++) {
            long lo;
            long hi;
            do {
                lo = rng.nextLong();
                hi = rng.nextLong();
            } while (lo == 0 && hi == 0);
            r[i] = Fr.fromCanonicalLimbs(lo, hi, 0, 0);
        }
        return r;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes this accumulator and its contributions as a {@code .ptau} file (sections 1–7, which
     * snarkjs reads, verifies and prepares for phase 2).
     *
     * @throws IllegalStateException if this is a prefix read
     */
    public void write(Path file) throws IOException {
        if (!complete) {
            throw new IllegalStateException("a prefix read cannot be written as a ptau file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer head = le(12 + 12 + HEADER_BYTES);
            head.put(MAGIC).putInt(1).putInt(7);
            head.putInt(HEADER).putLong(HEADER_BYTES);
            head.putInt(32);
            byte[] q = new byte[32];
            long[] ql = limbs(Fp.MODULUS);
            ByteBuffer.wrap(q).order(ByteOrder.LITTLE_ENDIAN).putLong(ql[0]).putLong(ql[1]).putLong(ql[2]).putLong(ql[3]);
            head.put(q).putInt(power).putInt(ceremonyPower);
            writeAll(ch, head.flip());
            writeG1Section(ch, TAU_G1, tauG1);
            writeG2Section(ch, TAU_G2, tauG2);
            writeG1Section(ch, ALPHA_TAU_G1, alphaTauG1);
            writeG1Section(ch, BETA_TAU_G1, betaTauG1);
            writeG2Section(ch, BETA_G2, new G2[] {betaG2});
            byte[] contr = encodeContributions(contributions);
            ByteBuffer ch7 = le(12).putInt(CONTRIBUTIONS).putLong(contr.length);
            writeAll(ch, ch7.flip());
            writeAll(ch, ByteBuffer.wrap(contr));
        }
    }

    private static long[] limbs(BigInteger v) {
        return new long[] {v.longValue(), v.shiftRight(64).longValue(), v.shiftRight(128).longValue(),
            v.shiftRight(192).longValue()};
    }

    private static void writeG1Section(FileChannel ch, int type, G1[] pts) throws IOException {
        writeAll(ch, le(12).putInt(type).putLong((long) pts.length * 64).flip());
        int chunk = 1 << 14;
        for (int start = 0; start < pts.length; start += chunk) {
            int s = start;
            int n = Math.min(chunk, pts.length - start);
            ByteBuffer b = le(n * 64);
            IntStream.range(0, n).parallel().forEach(i -> PtauCodec.g1ToLem(pts[s + i], b, i * 64));
            writeAll(ch, b);
        }
    }

    private static void writeG2Section(FileChannel ch, int type, G2[] pts) throws IOException {
        writeAll(ch, le(12).putInt(type).putLong((long) pts.length * 128).flip());
        int chunk = 1 << 13;
        for (int start = 0; start < pts.length; start += chunk) {
            int s = start;
            int n = Math.min(chunk, pts.length - start);
            ByteBuffer b = le(n * 128);
            IntStream.range(0, n).parallel().forEach(i -> PtauCodec.g2ToLem(pts[s + i], b, i * 128));
            writeAll(ch, b);
        }
    }

    static byte[] encodeContributions(List<PtauContribution> list) {
        List<byte[]> parts = new ArrayList<>();
        int total = 4;
        for (PtauContribution c : list) {
            byte[] e = encodeContribution(c);
            parts.add(e);
            total += e.length;
        }
        ByteBuffer b = le(total);
        b.putInt(list.size());
        parts.forEach(b::put);
        return b.array();
    }

    private static byte[] encodeContribution(PtauContribution c) {
        ByteBuffer params = ByteBuffer.allocate(3 + 255 + 2 + 255);
        if (c.name() != null) {
            byte[] nameBytes = c.name().getBytes(StandardCharsets.UTF_8);
            params.put((byte) 1).put((byte) nameBytes.length).put(nameBytes);
        }
        if (c.type() == PtauContribution.TYPE_BEACON) {
            params.put((byte) 2).put((byte) c.numIterationsExp());
            byte[] bh = c.beaconHash();
            params.put((byte) 3).put((byte) bh.length).put(bh);
        }
        params.flip();
        ByteBuffer b = le(CONTRIBUTION_FIXED + params.remaining());
        b.put(PtauCodec.g1Lem(c.tauG1())).put(PtauCodec.g2Lem(c.tauG2())).put(PtauCodec.g1Lem(c.alphaG1()))
                .put(PtauCodec.g1Lem(c.betaG1())).put(PtauCodec.g2Lem(c.betaG2()));
        for (PtauContribution.Key k : List.of(c.tau(), c.alpha(), c.beta())) {
            b.put(PtauCodec.g1Lem(k.g1s())).put(PtauCodec.g1Lem(k.g1sx()));
        }
        for (PtauContribution.Key k : List.of(c.tau(), c.alpha(), c.beta())) {
            b.put(PtauCodec.g2Lem(k.g2spx()));
        }
        b.put(c.partialHash()).put(c.nextChallenge()).putInt(c.type()).putInt(params.remaining()).put(params);
        return b.array();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    // ------------------------------------------------------------------ accessors

    /** log2 of the number of tauG2 (and alphaTauG1, betaTauG1) points. */
    public int power() {
        return power;
    }

    /** The power of the ceremony this file came from (larger than {@link #power()} for a truncated file). */
    public int ceremonyPower() {
        return ceremonyPower;
    }

    /** Whether every point of the file was read (false for a prefix read). */
    public boolean complete() {
        return complete;
    }

    /** Number of tauG1 points held. */
    public int tauG1Count() {
        return tauG1.length;
    }

    /** Number of tauG2 points held. */
    public int tauG2Count() {
        return tauG2.length;
    }

    /** Number of alphaTauG1 (= betaTauG1) points held. */
    public int alphaTauG1Count() {
        return alphaTauG1.length;
    }

    /** {@code [τ^i]_1}. */
    public G1 tauG1(int i) {
        return tauG1[i];
    }

    /** {@code [τ^i]_2}. */
    public G2 tauG2(int i) {
        return tauG2[i];
    }

    /** {@code [α·τ^i]_1}. */
    public G1 alphaTauG1(int i) {
        return alphaTauG1[i];
    }

    /** {@code [β·τ^i]_1}. */
    public G1 betaTauG1(int i) {
        return betaTauG1[i];
    }

    /** {@code [β]_2}. */
    public G2 betaG2() {
        return betaG2;
    }

    /** The first {@code n} tauG1 points (a copy). */
    public G1[] tauG1Prefix(int n) {
        return Arrays.copyOf(tauG1, n);
    }

    /** The first {@code n} alphaTauG1 points (a copy). */
    public G1[] alphaTauG1Prefix(int n) {
        return Arrays.copyOf(alphaTauG1, n);
    }

    /** The contributions, oldest first. */
    public List<PtauContribution> contributions() {
        return contributions;
    }

    @Override
    public String toString() {
        return "Ptau[power=" + power + ", ceremonyPower=" + ceremonyPower + ", contributions=" + contributions.size()
                + (complete ? "" : ", prefix") + "]";
    }
}
