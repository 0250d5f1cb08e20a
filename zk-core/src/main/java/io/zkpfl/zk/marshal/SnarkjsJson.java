package io.zkpfl.zk.marshal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fp12;
import io.zkpfl.zk.bn254.Fp2;
import io.zkpfl.zk.bn254.Fp6;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.bn254.Pairing;
import io.zkpfl.zk.groth16.Proof;
import io.zkpfl.zk.groth16.VerifyingKey;
import java.math.BigInteger;

/**
 * snarkjs' JSON formats for Groth16 on bn128: {@code verification_key.json}, {@code proof.json}
 * and {@code public.json}. Points are written affine as decimal strings with a trailing projective
 * "1" (G1: [x, y, "1"]; G2: [[x.re, x.im], [y.re, y.im], ["1", "0"]]); infinity is written as
 * snarkjs does ([0, 1, 0]). Imports check everything a binary decode checks and reject unknown
 * protocols or curves with an IllegalArgumentException.
 */
public final class SnarkjsJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_INPUT_CHARS = 1 << 22;

    private SnarkjsJson() {
    }

    /** {@code verification_key.json} text, including {@code vk_alphabeta_12}. */
    public static String verificationKey(VerifyingKey vk) {
        ObjectNode o = JSON.createObjectNode();
        o.put("protocol", "groth16");
        o.put("curve", "bn128");
        o.put("nPublic", vk.numPublic());
        o.set("vk_alpha_1", g1(vk.alpha1()));
        o.set("vk_beta_2", g2(vk.beta2()));
        o.set("vk_gamma_2", g2(vk.gamma2()));
        o.set("vk_delta_2", g2(vk.delta2()));
        o.set("vk_alphabeta_12", fp12(Pairing.pair(vk.alpha1(), vk.beta2())));
        ArrayNode ic = o.putArray("IC");
        for (G1 p : vk.ic()) {
            ic.add(g1(p));
        }
        return write(o);
    }

    /** {@code proof.json} text. */
    public static String proof(Proof p) {
        ObjectNode o = JSON.createObjectNode();
        o.set("pi_a", g1(p.a()));
        o.set("pi_b", g2(p.b()));
        o.set("pi_c", g1(p.c()));
        o.put("protocol", "groth16");
        o.put("curve", "bn128");
        return write(o);
    }

    /** {@code public.json} text: the public inputs as decimal strings. */
    public static String publicSignals(Fr[] inputs) {
        ArrayNode a = JSON.createArrayNode();
        for (Fr x : inputs) {
            a.add(x.toString());
        }
        return write(a);
    }

    /**
     * Parses {@code verification_key.json}.
     *
     * @throws IllegalArgumentException if it is not a valid groth16/bn128 key
     */
    public static VerifyingKey parseVerificationKey(String json) {
        JsonNode o = read(json);
        checkProtocol(o);
        JsonNode icNode = o.get("IC");
        if (icNode == null || !icNode.isArray() || icNode.isEmpty()) {
            throw new IllegalArgumentException("verification key has no IC array");
        }
        JsonNode nPub = o.get("nPublic");
        if (nPub != null && (!nPub.canConvertToInt() || nPub.asInt() != icNode.size() - 1)) {
            throw new IllegalArgumentException("nPublic does not match the IC array");
        }
        G1[] ic = new G1[icNode.size()];
        for (int i = 0; i < ic.length; i++) {
            ic[i] = parseG1(icNode.get(i), "IC[" + i + "]");
        }
        return new VerifyingKey(parseG1(o.get("vk_alpha_1"), "vk_alpha_1"), parseG2(o.get("vk_beta_2"), "vk_beta_2"),
                parseG2(o.get("vk_gamma_2"), "vk_gamma_2"), parseG2(o.get("vk_delta_2"), "vk_delta_2"), ic);
    }

    /**
     * Parses {@code proof.json}.
     *
     * @throws IllegalArgumentException if it is not a valid groth16/bn128 proof
     */
    public static Proof parseProof(String json) {
        JsonNode o = read(json);
        checkProtocol(o);
        return new Proof(parseG1(o.get("pi_a"), "pi_a"), parseG2(o.get("pi_b"), "pi_b"), parseG1(o.get("pi_c"), "pi_c"));
    }

    /**
     * Parses {@code public.json}.
     *
     * @throws IllegalArgumentException if an entry is not a decimal integer in [0, r)
     */
    public static Fr[] parsePublicSignals(String json) {
        JsonNode a = read(json);
        if (!a.isArray()) {
            throw new IllegalArgumentException("public signals must be a JSON array");
        }
        Fr[] out = new Fr[a.size()];
        for (int i = 0; i < out.length; i++) {
            BigInteger v = integer(a.get(i), "public[" + i + "]");
            if (v.compareTo(Fr.MODULUS) >= 0) {
                throw new IllegalArgumentException("public[" + i + "] is not below the field modulus r");
            }
            out[i] = Fr.fromCanonical(v);
        }
        return out;
    }

    private static void checkProtocol(JsonNode o) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        JsonNode protocol = o.get("protocol");
        JsonNode curve = o.get("curve");
        if (protocol != null && !"groth16".equals(protocol.asText())) {
            throw new IllegalArgumentException("unsupported protocol: only groth16");
        }
        if (curve != null && !"bn128".equals(curve.asText()) && !"bn254".equals(curve.asText())) {
            throw new IllegalArgumentException("unsupported curve: only bn128");
        }
    }

    private static ArrayNode g1(G1 p) {
        ArrayNode a = JSON.createArrayNode();
        if (p.isInfinity()) {
            a.add("0").add("1").add("0");
        } else {
            a.add(p.affineX().toString()).add(p.affineY().toString()).add("1");
        }
        return a;
    }

    private static ArrayNode g2(G2 p) {
        ArrayNode a = JSON.createArrayNode();
        if (p.isInfinity()) {
            a.add(fp2(Fp2.ZERO)).add(fp2(Fp2.ONE)).add(fp2(Fp2.ZERO));
        } else {
            a.add(fp2(p.affineX())).add(fp2(p.affineY())).add(fp2(Fp2.ONE));
        }
        return a;
    }

    private static ArrayNode fp2(Fp2 x) {
        return JSON.createArrayNode().add(x.c0().toString()).add(x.c1().toString());
    }

    private static ArrayNode fp6(Fp6 x) {
        return JSON.createArrayNode().add(fp2(x.c0())).add(fp2(x.c1())).add(fp2(x.c2()));
    }

    private static ArrayNode fp12(Fp12 x) {
        return JSON.createArrayNode().add(fp6(x.c0())).add(fp6(x.c1()));
    }

    private static G1 parseG1(JsonNode n, String what) {
        if (n == null || !n.isArray() || (n.size() != 3 && n.size() != 2)) {
            throw new IllegalArgumentException(what + " must be an array [x, y, z]");
        }
        Fp x = fp(n.get(0), what);
        Fp y = fp(n.get(1), what);
        Fp z = n.size() == 3 ? fp(n.get(2), what) : Fp.ONE;
        if (z.isZero()) {
            return G1.INFINITY;
        }
        if (!z.isOne()) {
            throw new IllegalArgumentException(what + " must be affine (z = 1)");
        }
        try {
            return G1.fromAffine(x, y);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static G2 parseG2(JsonNode n, String what) {
        if (n == null || !n.isArray() || (n.size() != 3 && n.size() != 2)) {
            throw new IllegalArgumentException(what + " must be an array [[x.re, x.im], [y.re, y.im], [z.re, z.im]]");
        }
        Fp2 x = fp2(n.get(0), what);
        Fp2 y = fp2(n.get(1), what);
        Fp2 z = n.size() == 3 ? fp2(n.get(2), what) : Fp2.ONE;
        if (z.isZero()) {
            return G2.INFINITY;
        }
        if (!z.isOne()) {
            throw new IllegalArgumentException(what + " must be affine (z = 1)");
        }
        try {
            return G2.fromAffineInSubgroup(x, y);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static Fp2 fp2(JsonNode n, String what) {
        if (n == null || !n.isArray() || n.size() != 2) {
            throw new IllegalArgumentException(what + ": F_p² element must be [re, im]");
        }
        return new Fp2(fp(n.get(0), what), fp(n.get(1), what));
    }

    private static Fp fp(JsonNode n, String what) {
        BigInteger v = integer(n, what);
        if (v.compareTo(Fp.MODULUS) >= 0) {
            throw new IllegalArgumentException(what + ": coordinate is not below the field modulus p");
        }
        return Fp.fromCanonical(v);
    }

    private static BigInteger integer(JsonNode n, String what) {
        if (n == null || !(n.isTextual() || n.isIntegralNumber())) {
            throw new IllegalArgumentException(what + ": expected a decimal integer string");
        }
        String s = n.asText();
        if (s.isEmpty() || s.length() > 100 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new IllegalArgumentException(what + ": expected a non-negative decimal integer");
        }
        return new BigInteger(s);
    }

    private static JsonNode read(String json) {
        if (json == null || json.length() > MAX_INPUT_CHARS) {
            throw new IllegalArgumentException("JSON input missing or too large");
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
