package io.zkpfl.zk.kzg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.r1cs.NodeTool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our phase-1 ceremony against snarkjs in both directions — snarkjs verifies the files we write,
 * we verify the files snarkjs writes, and contributions from the two tools chain — and forged
 * contributions are refused by both.
 */
class PowersOfTauTest {

    private static final int POWER = 4;
    private static final SplittableRandom RNG = new SplittableRandom(1234);

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ building blocks

    @Test
    void blake2bMatchesBouncyCastleAndResumesFromItsExportedState() {
        SplittableRandom r = new SplittableRandom(3);
        for (int len : new int[] {0, 1, 63, 127, 128, 129, 255, 256, 257, 1000, 4096}) {
            byte[] data = new byte[len];
            r.nextBytes(data);
            Blake2bDigest bc = new Blake2bDigest(512);
            bc.update(data, 0, len);
            byte[] expected = new byte[64];
            bc.doFinal(expected, 0);
            assertArrayEquals(expected, Blake2b.hash(data), "length " + len);
            // in two pieces, through an exported state
            int cut = len / 3;
            Blake2b first = new Blake2b().update(data, 0, cut);
            byte[] state = first.exportState();
            assertEquals(Blake2b.STATE_BYTES, state.length);
            assertArrayEquals(expected, Blake2b.importState(state).update(data, cut, len - cut).digest(), "resumed " + len);
        }
        assertThrows(IllegalArgumentException.class, () -> Blake2b.importState(new byte[215]));
    }

    // ------------------------------------------------------------------ interoperability

    @Test
    void snarkjsCeremonyVerifies() throws IOException {
        Ptau p = Ptau.read(NodeTool.preparedPtau(5));
        PowersOfTau.Verification v = PowersOfTau.verify(p);
        assertEquals(1, v.contributions());
        assertTrue(v.nextChallengeChecked());
        assertArrayEquals(p.contributions().get(0).nextChallenge(), v.nextChallenge());
    }

    @Test
    void ourCeremonyAndSnarkjsChainBothWays() throws IOException {
        Ptau p0 = PowersOfTau.start(POWER);
        Ptau p1 = PowersOfTau.contribute(p0, "alice", RNG);
        Ptau p2 = PowersOfTau.contribute(p1, "bob", RNG);
        PowersOfTau.Verification v = PowersOfTau.verifyStep(p1, p2);
        assertEquals(2, v.contributions());
        Path ours = dir.resolve("ours.ptau");
        p2.write(ours);
        snarkjsAccepts(ours);
        assertEquals(p2.contributions(), Ptau.read(ours).contributions());

        // snarkjs contributes on top of ours, we verify; we contribute on top of that, snarkjs verifies
        snarkjsOk("powersoftau", "contribute", ours.toString(), dir.resolve("s3.ptau").toString(), "--name=carol",
                "-e=carol entropy");
        Ptau p3 = Ptau.read(dir.resolve("s3.ptau"));
        assertEquals(3, PowersOfTau.verify(p3).contributions());
        assertEquals("carol", p3.contributions().get(2).name());
        Ptau p4 = PowersOfTau.contribute(p3, "dave", RNG);
        PowersOfTau.verifyStep(p3, p4);
        Path f4 = dir.resolve("p4.ptau");
        p4.write(f4);
        snarkjsAccepts(f4);

        // beacons both ways
        byte[] beaconHash = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        Ptau p5 = PowersOfTau.beacon(p4, "our beacon", beaconHash, 10);
        PowersOfTau.verify(p5);
        Path f5 = dir.resolve("p5.ptau");
        p5.write(f5);
        snarkjsAccepts(f5);
        snarkjsOk("powersoftau", "beacon", f4.toString(), dir.resolve("s5.ptau").toString(),
                "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", "10", "-n=their beacon");
        Ptau s5 = Ptau.read(dir.resolve("s5.ptau"));
        PowersOfTau.verify(s5);
        // the same beacon on the same file gives the same key whoever computes it
        assertEquals(p5.contributions().getLast().tau(), s5.contributions().getLast().tau());
        assertEquals(p5.tauG1(5), s5.tauG1(5));
        // a snarkjs beacon whose key was altered is refused
        List<PtauContribution> altered = new ArrayList<>(s5.contributions());
        PtauContribution b = altered.getLast();
        altered.set(altered.size() - 1, new PtauContribution(b.tauG1(), b.tauG2(), b.alphaG1(), b.betaG1(), b.betaG2(),
                p4.contributions().getLast().tau(), b.alpha(), b.beta(), b.partialHash(), b.nextChallenge(), b.type(),
                b.name(), b.numIterationsExp(), b.beaconHash()));
        PtauException e = assertThrows(PtauException.class, () -> PowersOfTau.verify(withContributions(s5, altered)));
        assertEquals(5, e.index());

        // snarkjs prepares our file for phase 2 and reads it back; an SRS from it commits and opens
        Path prepared = dir.resolve("prepared.ptau");
        snarkjsOk("powersoftau", "prepare", "phase2", f5.toString(), prepared.toString());
        snarkjsAccepts(prepared);
        Srs srs = Srs.fromPtau(prepared, 20, 3);
        Fr[] vec = new Fr[20];
        Fr[] blind = new Fr[3];
        Arrays.setAll(vec, i -> Fr.random(RNG));
        Arrays.setAll(blind, i -> Fr.random(RNG));
        Opening o = Kzg.open(srs, vec, blind, Fr.random(RNG));
        assertTrue(Kzg.verify(srs, Kzg.commit(srs, vec, blind), o));
    }

    private static Ptau withContributions(Ptau p, List<PtauContribution> cs) {
        return new Ptau(p.power, p.ceremonyPower, p.tauG1, p.tauG2, p.alphaTauG1, p.betaTauG1, p.betaG2, cs, true);
    }

    private void snarkjsOk(String... args) {
        NodeTool.snarkjsChecked(dir, args);
    }

    private void snarkjsAccepts(Path file) {
        NodeTool.Result r = NodeTool.snarkjs(dir, "powersoftau", "verify", file.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertFalse(r.output().contains("[ERROR]"), r.output());
        assertTrue(r.output().contains("Powers of Tau Ok!") || r.output().contains("Powers Of tau file OK!"), r.output());
    }

    private void snarkjsRefuses(Ptau p, String name) throws IOException {
        Path f = dir.resolve(name + ".ptau");
        p.write(f);
        NodeTool.Result r = NodeTool.snarkjs(dir, "powersoftau", "verify", f.toString());
        assertTrue(r.exitCode() != 0 || r.output().contains("[ERROR]"), "snarkjs accepted " + name + ": " + r.output());
    }

    // ------------------------------------------------------------------ forgeries

    /** Keys for {@code keySecrets} bound to {@code challenge}, applied with {@code accSecrets}. */
    private static PowersOfTau.Keys keys(Fr[] acc, Fr[] key, byte[] challenge) {
        return new PowersOfTau.Keys(acc[0], acc[1], acc[2],
                PowersOfTau.key(key[0], 0, challenge, G1.GENERATOR.mul(Fr.random(RNG))),
                PowersOfTau.key(key[1], 1, challenge, G1.GENERATOR.mul(Fr.random(RNG))),
                PowersOfTau.key(key[2], 2, challenge, G1.GENERATOR.mul(Fr.random(RNG))));
    }

    private static Fr[] secrets() {
        return new Fr[] {Fr.random(RNG), Fr.random(RNG), Fr.random(RNG)};
    }

    @Test
    void forgedContributionsAreRefusedByUsAndBySnarkjs() throws IOException {
        Ptau honest = PowersOfTau.contribute(PowersOfTau.start(POWER), "alice", RNG);
        byte[] challenge = PowersOfTau.lastChallenge(honest);

        // 1. the accumulator is thrown away and replaced by powers of a tau the forger knows, with a
        //    perfectly valid proof of knowledge of that tau: alice's contribution is erased
        Fr[] own = secrets();
        Ptau fresh = PowersOfTau.start(POWER);
        Ptau base = new Ptau(POWER, POWER, fresh.tauG1, fresh.tauG2, fresh.alphaTauG1, fresh.betaTauG1, fresh.betaG2,
                honest.contributions, true);
        Ptau replaced = PowersOfTau.apply(base, keys(own, own, challenge), challenge, "mallory", 0, 0, null);
        PtauException e = assertThrows(PtauException.class, () -> PowersOfTau.verify(replaced));
        assertEquals(2, e.index());
        assertTrue(e.getMessage().contains("tau·G1 does not follow"), e.getMessage());
        snarkjsRefuses(replaced, "replaced");

        // 2. the accumulator moved by one tau, the proof of knowledge for another
        Fr[] applied = secrets();
        Fr[] claimed = applied.clone();
        claimed[0] = claimed[0].add(Fr.ONE);
        Ptau mismatched = PowersOfTau.apply(honest, keys(applied, claimed, challenge), challenge, "mallory", 0, 0, null);
        e = assertThrows(PtauException.class, () -> PowersOfTau.verify(mismatched));
        assertEquals(2, e.index());
        snarkjsRefuses(mismatched, "mismatched");
        // the same with alpha only (tau honest)
        Fr[] claimedAlpha = applied.clone();
        claimedAlpha[1] = claimedAlpha[1].add(Fr.ONE);
        Ptau alphaForged = PowersOfTau.apply(honest, keys(applied, claimedAlpha, challenge), challenge, "m", 0, 0, null);
        e = assertThrows(PtauException.class, () -> PowersOfTau.verify(alphaForged));
        assertTrue(e.getMessage().contains("alpha"), e.getMessage());
        snarkjsRefuses(alphaForged, "alphaForged");

        // 3. a key made for another challenge (replayed from another transcript): the proof of knowledge fails
        Fr[] x = secrets();
        byte[] otherChallenge = PowersOfTau.firstChallenge(POWER);
        Ptau replayed = PowersOfTau.apply(honest, keys(x, x, otherChallenge), challenge, "mallory", 0, 0, null);
        e = assertThrows(PtauException.class, () -> PowersOfTau.verify(replayed));
        assertTrue(e.getMessage().contains("proof of knowledge of tau fails"), e.getMessage());
        snarkjsRefuses(replayed, "replayed");

        // 4. a valid second contribution whose first contribution was edited afterwards
        Ptau two = PowersOfTau.contribute(honest, "bob", RNG);
        List<PtauContribution> cs = new ArrayList<>(two.contributions());
        PtauContribution a = cs.get(0);
        cs.set(0, new PtauContribution(a.tauG1().dbl(), a.tauG2(), a.alphaG1(), a.betaG1(), a.betaG2(), a.tau(), a.alpha(),
                a.beta(), a.partialHash(), a.nextChallenge(), a.type(), a.name(), 0, null));
        e = assertThrows(PtauException.class, () -> PowersOfTau.verify(withContributions(two, cs)));
        assertEquals(1, e.index());
        snarkjsRefuses(withContributions(two, cs), "edited");

        // 5. the last contribution's hashes tampered
        List<PtauContribution> hs = new ArrayList<>(two.contributions());
        PtauContribution bob = hs.get(1);
        byte[] next = bob.nextChallenge();
        next[0] ^= 1;
        hs.set(1, new PtauContribution(bob.tauG1(), bob.tauG2(), bob.alphaG1(), bob.betaG1(), bob.betaG2(), bob.tau(),
                bob.alpha(), bob.beta(), bob.partialHash(), next, 0, bob.name(), 0, null));
        e = assertThrows(PtauException.class, () -> PowersOfTau.verify(withContributions(two, hs)));
        assertTrue(e.getMessage().contains("next challenge"), e.getMessage());
        snarkjsRefuses(withContributions(two, hs), "nextChallenge");
        byte[] partial = bob.partialHash();
        partial[130] ^= 1;
        hs.set(1, new PtauContribution(bob.tauG1(), bob.tauG2(), bob.alphaG1(), bob.betaG1(), bob.betaG2(), bob.tau(),
                bob.alpha(), bob.beta(), partial, bob.nextChallenge(), 0, bob.name(), 0, null));
        e = assertThrows(PtauException.class, () -> PowersOfTau.verify(withContributions(two, hs)));
        assertTrue(e.getMessage().contains("partial hash"), e.getMessage());

        // 6. no contribution at all, and a step that is not one contribution
        assertThrows(PtauException.class, () -> PowersOfTau.verify(PowersOfTau.start(POWER)));
        assertThrows(PtauException.class, () -> PowersOfTau.verifyStep(PowersOfTau.start(POWER), two));
    }

    @Test
    void accumulatorPointsMustMatchTheLastContribution() {
        Ptau p = PowersOfTau.contribute(PowersOfTau.start(POWER), "alice", RNG);
        // an accumulator scaled consistently (so its powers check out) but not the one the contribution announced
        G1[] tauG1 = p.tauG1.clone();
        G2[] tauG2 = p.tauG2.clone();
        Ptau q = PowersOfTau.contribute(p, "x", RNG);
        Ptau mixed = new Ptau(POWER, POWER, q.tauG1, q.tauG2, q.alphaTauG1, q.betaTauG1, q.betaG2, p.contributions(), true);
        PtauException e = assertThrows(PtauException.class, () -> PowersOfTau.verify(mixed));
        assertTrue(e.getMessage().contains("not the accumulator's"), e.getMessage());
        assertEquals(tauG1[1], p.tauG1(1));
        assertEquals(tauG2[1], p.tauG2(1));
        assertTrue(G2.GENERATOR.equals(p.tauG2(0)));
    }
}
