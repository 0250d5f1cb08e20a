package io.zkpfl.zk.std.poseidon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.frontend.Assignment;
import io.zkpfl.zk.frontend.CompiledCircuit;
import io.zkpfl.zk.frontend.Compiler;
import io.zkpfl.zk.frontend.Variable;
import io.zkpfl.zk.frontend.WitnessException;
import io.zkpfl.zk.r1cs.NodeTool;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoseidonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] PARTIAL = {56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68};

    @Test
    void generatedConstantsEqualCircomlibTables() throws Exception {
        JsonNode tables = JSON.readTree(Files.readString(
                NodeTool.repoRoot().resolve("node_modules/circomlibjs/src/poseidon_constants.json")));
        for (int t = 2; t <= 17; t++) {
            PoseidonParameters p = PoseidonParameters.forWidth(t);
            assertEquals(PARTIAL[t - 2], p.partialRounds());
            JsonNode c = tables.get("C").get(t - 2);
            assertEquals(c.size(), p.rounds() * t, "round constant count for t=" + t);
            for (int k = 0; k < c.size(); k++) {
                assertEquals(hex(c.get(k).asText()), p.roundConstant(k / t, k % t).toBigInteger(), "C t=" + t + " k=" + k);
            }
            JsonNode m = tables.get("M").get(t - 2);
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < t; j++) {
                    assertEquals(hex(m.get(i).get(j).asText()), p.mds(i, j).toBigInteger(), "M t=" + t);
                }
            }
        }
    }

    private static BigInteger hex(String s) {
        return new BigInteger(s.substring(2), 16);
    }

    @Test
    void permutationEqualsCircomlibjsForEveryWidth() throws Exception {
        SplittableRandom rnd = new SplittableRandom(2024);
        ObjectNode req = JSON.createObjectNode();
        ArrayNode perm = req.putArray("perm");
        List<Fr[]> states = new ArrayList<>();
        for (int t = 2; t <= 17; t++) {
            for (int rep = 0; rep < 4; rep++) {
                Fr[] state = new Fr[t];
                for (int i = 0; i < t; i++) {
                    state[i] = rep == 0 && i == 0 ? Fr.ZERO : Fr.random(rnd);
                }
                if (rep == 1) {
                    state[t - 1] = Fr.of(-1);
                }
                states.add(state);
                ObjectNode c = perm.addObject();
                c.put("init", state[0].toString());
                ArrayNode in = c.putArray("inputs");
                for (int i = 1; i < t; i++) {
                    in.add(state[i].toString());
                }
                c.put("nOut", t);
            }
        }
        JsonNode res = JSON.readTree(NodeTool.script("poseidon.mjs", JSON.writeValueAsString(req)));
        for (int k = 0; k < states.size(); k++) {
            Fr[] state = states.get(k).clone();
            Fr[] in = java.util.Arrays.copyOfRange(state, 1, state.length);
            Fr h = PoseidonPermutation.hashFrom(state[0], in);
            Fr[] dense = state.clone();
            PoseidonPermutation.ofWidth(state.length).permute(state);
            PoseidonPermutation.ofWidth(dense.length).permuteDense(dense);
            JsonNode expected = res.get("perm").get(k);
            assertEquals(state.length, expected.size());
            for (int i = 0; i < state.length; i++) {
                assertEquals(expected.get(i).asText(), state[i].toString(), "case " + k + " lane " + i);
                assertEquals(expected.get(i).asText(), dense[i].toString(), "dense, case " + k + " lane " + i);
            }
            assertEquals(expected.get(0).asText(), h.toString());
        }
    }

    @Test
    void knownVectorOfCircomlib() {
        // poseidon([1, 2]) as published in circomlib's test suite
        assertEquals("7853200120776062878684798364095072458815029376092732009249414926327459813530",
                PoseidonPermutation.hash(Fr.of(1), Fr.of(2)).toString());
    }

    @Test
    void spongeEqualsChainedCircomlibjs() throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        int[] lengths = {0, 1, 15, 16, 17, 18, 32, 34, 66};
        ObjectNode req = JSON.createObjectNode();
        ArrayNode sponge = req.putArray("sponge");
        List<Fr[]> cases = new ArrayList<>();
        for (int n : lengths) {
            Fr[] in = new Fr[n];
            for (int i = 0; i < n; i++) {
                in[i] = Fr.random(rnd);
            }
            cases.add(in);
            ObjectNode c = sponge.addObject();
            c.put("domain", Integer.toString(Math.max(n - 2, 0)));
            ArrayNode a = c.putArray("inputs");
            for (Fr f : in) {
                a.add(f.toString());
            }
        }
        JsonNode res = JSON.readTree(NodeTool.script("poseidon.mjs", JSON.writeValueAsString(req)));
        for (int k = 0; k < cases.size(); k++) {
            Fr[] in = cases.get(k);
            assertEquals(res.get("sponge").get(k).asText(), PoseidonSponge.hash(Math.max(in.length - 2, 0), in).toString(),
                    "length " + in.length);
            if (in.length >= 2) {
                Fr[] s = java.util.Arrays.copyOfRange(in, 2, in.length);
                assertEquals(res.get("sponge").get(k).asText(), PoseidonSponge.commit(in[0], in[1], s).toString());
            }
        }
    }

    @Test
    void spongeSeparatesDomainsAndPadding() {
        Fr[] in = {Fr.of(1), Fr.of(2), Fr.of(3)};
        Fr[] padded = {Fr.of(1), Fr.of(2), Fr.of(3), Fr.ZERO};
        assertTrue(!PoseidonSponge.hash(1, in).equals(PoseidonSponge.hash(2, in)));
        // fixed-length sponge: zero padding is only distinguished through the domain (D)
        assertEquals(PoseidonSponge.hash(1, in), PoseidonSponge.hash(1, padded));
        assertTrue(!PoseidonSponge.commit(Fr.of(1), Fr.of(2), new Fr[] {Fr.of(3)})
                .equals(PoseidonSponge.commit(Fr.of(1), Fr.of(2), new Fr[] {Fr.of(3), Fr.ZERO})));
    }

    @Test
    void gadgetEqualsNativeForSeveralWidths() {
        SplittableRandom rnd = new SplittableRandom(99);
        for (int t : new int[] {2, 3, 5, 17}) {
            PoseidonParameters p = PoseidonParameters.forWidth(t);
            CompiledCircuit cc = Compiler.compile(api -> {
                Variable[] out = api.publicInputs("out", t);
                Variable[] in = api.secretInputs("in", t);
                Variable[] res = PoseidonGadget.ofWidth(t).permute(api, in);
                for (int i = 0; i < t; i++) {
                    api.assertIsEqual(res[i], out[i]);
                }
            });
            assertEquals(3 * (8 * t + p.partialRounds()) + t, cc.r1cs().numConstraints(), "constraints for t=" + t);
            for (int rep = 0; rep < 3; rep++) {
                Fr[] in = new Fr[t];
                for (int i = 0; i < t; i++) {
                    in[i] = Fr.random(rnd);
                }
                Fr[] out = in.clone();
                PoseidonPermutation.ofWidth(t).permute(out);
                assertTrue(cc.r1cs().isSatisfied(cc.solve(Assignment.builder().set("out", out).set("in", in).build()).values()));
                Fr[] wrong = out.clone();
                wrong[rep % t] = wrong[rep % t].add(Fr.ONE);
                WitnessException e = assertThrows(WitnessException.class,
                        () -> cc.solve(Assignment.builder().set("out", wrong).set("in", in).build()));
                assertTrue(e.getMessage().contains("assertIsEqual"), e.getMessage());
            }
        }
    }

    @Test
    void spongeGadgetEqualsNative() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n : new int[] {3, 16, 17, 40}) {
            CompiledCircuit cc = Compiler.compile(api -> {
                Variable h = api.publicInput("h");
                Variable[] in = api.secretInputs("in", n);
                api.assertIsEqual(PoseidonSponge.hash(api, n, in), h);
            });
            Fr[] in = new Fr[n];
            for (int i = 0; i < n; i++) {
                in[i] = Fr.random(rnd);
            }
            Fr h = PoseidonSponge.hash(n, in);
            assertTrue(cc.r1cs().isSatisfied(cc.solve(Assignment.builder().set("h", h).set("in", in).build()).values()));
            Fr[] other = in.clone();
            other[n - 1] = other[n - 1].add(Fr.ONE);
            assertThrows(WitnessException.class, () -> cc.solve(Assignment.builder().set("h", h).set("in", other).build()));
        }
    }

    @Test
    void rejectsUnsupportedWidths() {
        assertThrows(IllegalArgumentException.class, () -> PoseidonParameters.forWidth(1));
        assertThrows(IllegalArgumentException.class, () -> PoseidonParameters.forWidth(18));
        assertThrows(IllegalArgumentException.class, () -> PoseidonPermutation.hash(new Fr[17]));
        assertThrows(IllegalArgumentException.class, () -> PoseidonPermutation.ofWidth(3).permute(new Fr[2]));
    }
}
