package io.zkpfl.zk.frontend;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.r1cs.R1cs;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The constraint-building API handed to {@link Circuit#define(Api)}.
 *
 * <p>Public inputs must be declared before any secret input or constraint (they occupy wires
 * {@code 1..numPublic}, iden3 order). Linear operations are free; {@link #mul}, {@link #div},
 * {@link #inverse}, the assertions, {@link #toBinary} and {@link #select} add constraints, whose
 * costs are given per method. Constraints carry a label built from the current {@link #scope}
 * and the operation, which the witness solver names when a constraint fails.
 */
public final class Api {

    /** Largest bit length accepted by {@link #toBinary}: every value below 2^253 is below r, so decompositions are unique. */
    public static final int MAX_BITS = 253;

    private static final int[] NO_WIRES = new int[0];
    private static final Fr[] NO_COEFFS = new Fr[0];
    private static final Fr MINUS_ONE = Fr.ONE.neg();

    private final List<InputSpec> inputs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private int numPublic;
    private R1cs.Builder builder;
    private int numPrivate;
    private final IntList secretInputWires = new IntList();

    private final IntList stepConstraint = new IntList();
    private final IntList stepOut = new IntList();
    private final IntList stepSlotA = new IntList();
    private final IntList stepSlotB = new IntList();
    private int numSlots;
    private final List<HintCall> hintCalls = new ArrayList<>();
    private final BitSet defining = new BitSet();

    private final IntList constraintLabel = new IntList();
    private final List<String> labels = new ArrayList<>();
    private final Map<String, Integer> labelIds = new HashMap<>();
    private String scope = "";

    private final Variable one;
    private final Variable zero;

    /** A hint invocation: input combinations and the private wires it assigns. */
    record HintCall(Hint hint, int[][] inputWires, Fr[][] inputCoeffs, int firstOut, int nOut) {
    }

    Api() {
        this.one = new Variable(this, new int[] {0}, new Fr[] {Fr.ONE}, true);
        this.zero = new Variable(this, NO_WIRES, NO_COEFFS, true);
    }

    // ---------------------------------------------------------------- inputs

    /** Declares a public input (one wire). */
    public Variable publicInput(String name) {
        return declare(name, true, 1, false)[0];
    }

    /** Declares {@code n} public inputs named {@code name[0..n-1]}. */
    public Variable[] publicInputs(String name, int n) {
        return declare(name, true, n, true);
    }

    /** Declares a secret input (one private wire). */
    public Variable secretInput(String name) {
        return declare(name, false, 1, false)[0];
    }

    /** Declares {@code n} secret inputs named {@code name[0..n-1]}. */
    public Variable[] secretInputs(String name, int n) {
        return declare(name, false, n, true);
    }

    private Variable[] declare(String name, boolean isPublic, int n, boolean array) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("input name must not be empty");
        }
        if (n < 1) {
            throw new IllegalArgumentException("input '" + name + "' must have at least one element");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("input '" + name + "' declared twice");
        }
        int first;
        if (isPublic) {
            if (builder != null) {
                throw new IllegalStateException("public input '" + name
                        + "' declared after a secret input or constraint; declare public inputs first");
            }
            first = numPublic + 1;
            numPublic += n;
        } else {
            first = allocPrivate(n);
            for (int k = 0; k < n; k++) {
                secretInputWires.add(first + k);
            }
        }
        inputs.add(new InputSpec(name, isPublic, n, array, first));
        Variable[] vs = new Variable[n];
        for (int k = 0; k < n; k++) {
            vs[k] = wire(first + k, false);
        }
        return vs;
    }

    private int allocPrivate(int n) {
        if (builder == null) {
            builder = R1cs.builder(0, numPublic);
        }
        int first = numPublic + 1 + numPrivate;
        if ((long) first + n >= Integer.MAX_VALUE) {
            throw new IllegalStateException("too many wires");
        }
        numPrivate += n;
        return first;
    }

    private Variable wire(int w, boolean knownBoolean) {
        return new Variable(this, new int[] {w}, new Fr[] {Fr.ONE}, knownBoolean);
    }

    // ---------------------------------------------------------------- constants and linear operations

    /** The constant {@code c}. */
    public Variable constant(Fr c) {
        return c.isZero() ? zero : new Variable(this, new int[] {0}, new Fr[] {c}, c.isOne());
    }

    /** The constant {@code c mod r}. */
    public Variable constant(long c) {
        return constant(Fr.of(c));
    }

    /** {@code a + b} (no constraint). */
    public Variable add(Variable a, Variable b) {
        return combine(Fr.ONE, a, Fr.ONE, b);
    }

    /** The sum of all arguments (no constraint). */
    public Variable add(Variable a, Variable b, Variable... more) {
        Variable acc = add(a, b);
        for (Variable v : more) {
            acc = add(acc, v);
        }
        return acc;
    }

    /** {@code a - b} (no constraint). */
    public Variable sub(Variable a, Variable b) {
        return combine(Fr.ONE, a, MINUS_ONE, b);
    }

    /** {@code -a} (no constraint). */
    public Variable neg(Variable a) {
        return mul(a, MINUS_ONE);
    }

    /** {@code c · a} (no constraint). */
    public Variable mul(Variable a, Fr c) {
        check(a);
        if (c.isZero() || a.wires.length == 0) {
            return zero;
        }
        if (c.isOne()) {
            return a;
        }
        Fr[] cs = new Fr[a.coeffs.length];
        for (int k = 0; k < cs.length; k++) {
            cs[k] = a.coeffs[k].mul(c);
        }
        return new Variable(this, a.wires, cs, false);
    }

    /** {@code Σ coeffs[k] · vars[k]} (no constraint). */
    public Variable weightedSum(Fr[] coeffs, Variable[] vars) {
        if (coeffs.length != vars.length) {
            throw new IllegalArgumentException("coefficient and variable counts differ");
        }
        int total = 0;
        for (Variable v : vars) {
            check(v);
            total += v.wires.length;
        }
        long[] keys = new long[total];
        Fr[] terms = new Fr[total];
        int n = 0;
        for (int i = 0; i < vars.length; i++) {
            Fr c = coeffs[i];
            if (c.isZero()) {
                continue;
            }
            Variable v = vars[i];
            for (int k = 0; k < v.wires.length; k++) {
                terms[n] = scaled(v.coeffs[k], c);
                keys[n] = ((long) v.wires[k] << 32) | n;
                n++;
            }
        }
        Arrays.sort(keys, 0, n);
        int[] w = new int[n];
        Fr[] cs = new Fr[n];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int wire = (int) (keys[k] >>> 32);
            Fr c = terms[(int) keys[k]];
            if (m > 0 && w[m - 1] == wire) {
                cs[m - 1] = cs[m - 1].add(c);
            } else {
                w[m] = wire;
                cs[m] = c;
                m++;
            }
        }
        return compact(w, cs, m);
    }

    private Variable combine(Fr ca, Variable a, Fr cb, Variable b) {
        check(a);
        check(b);
        int[] w = new int[a.wires.length + b.wires.length];
        Fr[] cs = new Fr[w.length];
        int i = 0;
        int j = 0;
        int m = 0;
        while (i < a.wires.length || j < b.wires.length) {
            if (j == b.wires.length || (i < a.wires.length && a.wires[i] < b.wires[j])) {
                w[m] = a.wires[i];
                cs[m++] = scaled(a.coeffs[i++], ca);
            } else if (i == a.wires.length || b.wires[j] < a.wires[i]) {
                w[m] = b.wires[j];
                cs[m++] = scaled(b.coeffs[j++], cb);
            } else {
                w[m] = a.wires[i];
                cs[m++] = scaled(a.coeffs[i++], ca).add(scaled(b.coeffs[j++], cb));
            }
        }
        return compact(w, cs, m);
    }

    private static Fr scaled(Fr c, Fr by) {
        return by.isOne() ? c : c.isOne() ? by : c.mul(by);
    }

    private Variable compact(int[] w, Fr[] cs, int m) {
        int n = 0;
        for (int k = 0; k < m; k++) {
            if (!cs[k].isZero()) {
                w[n] = w[k];
                cs[n] = cs[k];
                n++;
            }
        }
        if (n == 0) {
            return zero;
        }
        return new Variable(this, n == w.length ? w : Arrays.copyOf(w, n), n == cs.length ? cs : Arrays.copyOf(cs, n), false);
    }

    // ---------------------------------------------------------------- non-linear operations

    /** {@code a · b}: one constraint, unless either side is constant (then free). */
    public Variable mul(Variable a, Variable b) {
        check(a);
        check(b);
        if (a.isConstant()) {
            return mul(b, a.constantValue());
        }
        if (b.isConstant()) {
            return mul(a, b.constantValue());
        }
        int out = allocPrivate(1);
        int ci = emit(a, b, wire(out, false), "mul");
        defining.set(ci);
        stepConstraint.add(ci);
        stepOut.add(out);
        stepSlotA.add(slotOf(a));
        stepSlotB.add(slotOf(b));
        return wire(out, false);
    }

    /** {@code a · a}: one constraint. */
    public Variable square(Variable a) {
        return mul(a, a);
    }

    /**
     * {@code 1 / a}: one constraint ({@code a · inv = 1}); the witness fails when {@code a = 0}.
     *
     * @throws IllegalArgumentException if {@code a} is the constant zero
     */
    public Variable inverse(Variable a) {
        check(a);
        if (a.isConstant()) {
            if (a.constantValue().isZero()) {
                throw new IllegalArgumentException("inverse of the constant zero");
            }
            return constant(a.constantValue().inverse());
        }
        Variable inv = hint(Hints.INVERSE, 1, a)[0];
        emit(a, inv, one, "inverse");
        return inv;
    }

    /**
     * {@code a / b}: one constraint ({@code b · q = a}), free if {@code b} is constant; the witness
     * fails when {@code b = 0}.
     *
     * @throws IllegalArgumentException if {@code b} is the constant zero
     */
    public Variable div(Variable a, Variable b) {
        check(a);
        check(b);
        if (b.isConstant()) {
            if (b.constantValue().isZero()) {
                throw new IllegalArgumentException("division by the constant zero");
            }
            return mul(a, b.constantValue().inverse());
        }
        Variable q = hint(Hints.DIVIDE, 1, a, b)[0];
        emit(b, q, a, "div");
        return q;
    }

    /**
     * Constrains {@code a = b}: one constraint ({@code (a - b) · 1 = 0}), none if both are equal
     * combinations.
     *
     * @throws IllegalArgumentException if both are constants and differ
     */
    public void assertIsEqual(Variable a, Variable b) {
        Variable d = sub(a, b);
        if (d.isConstant()) {
            if (!d.constantValue().isZero()) {
                throw new IllegalArgumentException("assertIsEqual on two different constants" + scopeSuffix());
            }
            return;
        }
        emit(d, one, zero, "assertIsEqual");
    }

    /**
     * Constrains {@code v ∈ {0, 1}}: one constraint ({@code v · (1 - v) = 0}), none for bits
     * produced by {@link #toBinary}.
     *
     * @throws IllegalArgumentException if {@code v} is a constant other than 0 or 1
     */
    public void assertIsBoolean(Variable v) {
        check(v);
        if (v.knownBoolean) {
            return;
        }
        if (v.isConstant()) {
            Fr c = v.constantValue();
            if (!c.isZero() && !c.isOne()) {
                throw new IllegalArgumentException("assertIsBoolean on a constant that is not 0 or 1" + scopeSuffix());
            }
            return;
        }
        emit(v, sub(one, v), zero, "assertIsBoolean");
    }

    /**
     * The {@code nBits} bits of {@code v}, least significant first: {@code nBits + 1} constraints
     * (one per bit, one for the recomposition). The witness fails unless {@code v < 2^nBits}.
     *
     * @throws IllegalArgumentException unless {@code 1 ≤ nBits ≤ 253}, or if a constant does not fit
     */
    public Variable[] toBinary(Variable v, int nBits) {
        check(v);
        if (nBits < 1 || nBits > MAX_BITS) {
            throw new IllegalArgumentException("toBinary needs 1 to " + MAX_BITS + " bits, got " + nBits);
        }
        Variable[] bits = new Variable[nBits];
        if (v.isConstant()) {
            BigInteger x = v.constantValue().toBigInteger();
            if (x.bitLength() > nBits) {
                throw new IllegalArgumentException("constant does not fit in " + nBits + " bits");
            }
            for (int i = 0; i < nBits; i++) {
                bits[i] = x.testBit(i) ? one : zero;
            }
            return bits;
        }
        Variable[] raw = hint(Hints.BITS, nBits, v);
        for (int i = 0; i < nBits; i++) {
            emit(raw[i], sub(one, raw[i]), zero, "toBinary");
            bits[i] = new Variable(this, raw[i].wires, raw[i].coeffs, true);
        }
        emit(sub(fromBinary(bits), v), one, zero, "toBinary");
        return bits;
    }

    /** {@code Σ 2^i · bits[i]} (no constraint; does not check that the inputs are bits). */
    public Variable fromBinary(Variable... bits) {
        Fr[] cs = new Fr[bits.length];
        Fr p = Fr.ONE;
        for (int i = 0; i < bits.length; i++) {
            cs[i] = p;
            p = p.add(p);
        }
        return weightedSum(cs, bits);
    }

    /**
     * {@code b ? x : y}, constraining {@code b} to be boolean: two constraints (one if {@code b}
     * is a known bit), none if {@code b} is constant.
     */
    public Variable select(Variable b, Variable x, Variable y) {
        check(b);
        if (b.isConstant()) {
            assertIsBoolean(b);
            return b.constantValue().isOne() ? x : y;
        }
        assertIsBoolean(b);
        return add(y, mul(b, sub(x, y)));
    }

    /**
     * Calls {@code hint} during solving and returns its {@code nOutputs} values as new,
     * unconstrained private wires: the caller must constrain them.
     */
    public Variable[] hint(Hint hint, int nOutputs, Variable... in) {
        if (nOutputs < 1) {
            throw new IllegalArgumentException("a hint must have at least one output");
        }
        int[][] iw = new int[in.length][];
        Fr[][] ic = new Fr[in.length][];
        for (int k = 0; k < in.length; k++) {
            check(in[k]);
            iw[k] = in[k].wires;
            ic[k] = in[k].coeffs;
        }
        int first = allocPrivate(nOutputs);
        hintCalls.add(new HintCall(hint, iw, ic, first, nOutputs));
        stepConstraint.add(-hintCalls.size());
        stepOut.add(first);
        stepSlotA.add(-1);
        stepSlotB.add(-1);
        Variable[] out = new Variable[nOutputs];
        for (int k = 0; k < nOutputs; k++) {
            out[k] = wire(first + k, false);
        }
        return out;
    }

    /**
     * Runs {@code body} with {@code name} appended to the label of every constraint it adds
     * (labels appear in solver errors).
     */
    public <T> T scope(String name, Supplier<T> body) {
        String saved = scope;
        scope = saved.isEmpty() ? name : saved + "/" + name;
        try {
            return body.get();
        } finally {
            scope = saved;
        }
    }

    /** Number of constraints added so far. */
    public int constraintCount() {
        return builder == null ? 0 : builder.size();
    }

    /** The constant 1. */
    public Variable one() {
        return one;
    }

    /** The constant 0. */
    public Variable zero() {
        return zero;
    }

    // ---------------------------------------------------------------- internals

    private int slotOf(Variable v) {
        if (v.slot < 0) {
            v.slot = numSlots++;
        }
        return v.slot;
    }

    private String scopeSuffix() {
        return scope.isEmpty() ? "" : " in " + scope;
    }

    private void check(Variable v) {
        if (v == null) {
            throw new IllegalArgumentException("variable must not be null");
        }
        if (v.owner != this) {
            throw new IllegalArgumentException("variable belongs to another circuit");
        }
    }

    private int emit(Variable a, Variable b, Variable c, String op) {
        if (builder == null) {
            builder = R1cs.builder(0, numPublic);
        }
        int ci = builder.add(a.wires, a.coeffs, a.wires.length, b.wires, b.coeffs, b.wires.length,
                c.wires, c.coeffs, c.wires.length);
        String label = scope.isEmpty() ? op : scope + "/" + op;
        Integer id = labelIds.get(label);
        if (id == null) {
            id = labels.size();
            labels.add(label);
            labelIds.put(label, id);
        }
        constraintLabel.add(id);
        return ci;
    }

    CompiledCircuit finish() {
        if (builder == null) {
            builder = R1cs.builder(0, numPublic);
        }
        int base = numPublic + 1;
        int[] finalOf = new int[numPrivate];
        Arrays.fill(finalOf, -1);
        int next = base;
        for (int k = 0; k < secretInputWires.size(); k++) {
            finalOf[secretInputWires.get(k) - base] = next++;
        }
        boolean identity = true;
        for (int k = 0; k < numPrivate; k++) {
            if (finalOf[k] < 0) {
                finalOf[k] = next++;
            }
            identity &= finalOf[k] == base + k;
        }
        java.util.function.IntUnaryOperator map = w -> w < base ? w : finalOf[w - base];
        int numWires = base + numPrivate;
        R1cs r1cs = builder.privateInputs(secretInputWires.size()).build(numWires, identity ? null : map);

        List<InputSpec> finalInputs = new ArrayList<>(inputs.size());
        for (InputSpec in : inputs) {
            finalInputs.add(new InputSpec(in.name(), in.isPublic(), in.length(), in.array(), map.applyAsInt(in.firstWire())));
        }
        int[] outs = stepOut.toArray();
        int[] steps = stepConstraint.toArray();
        for (int k = 0; k < outs.length; k++) {
            outs[k] = map.applyAsInt(outs[k]);
        }
        List<HintCall> calls = new ArrayList<>(hintCalls.size());
        for (HintCall h : hintCalls) {
            int[][] iw = new int[h.inputWires().length][];
            for (int k = 0; k < iw.length; k++) {
                iw[k] = h.inputWires()[k].clone();
                for (int j = 0; j < iw[k].length; j++) {
                    iw[k][j] = map.applyAsInt(iw[k][j]);
                }
            }
            calls.add(new HintCall(h.hint(), iw, h.inputCoeffs(), map.applyAsInt(h.firstOut()), h.nOut()));
        }
        return new CompiledCircuit(r1cs, List.copyOf(finalInputs), steps, outs,
                stepSlotA.toArray(), stepSlotB.toArray(), numSlots, List.copyOf(calls),
                (BitSet) defining.clone(), constraintLabel.toArray(), List.copyOf(labels));
    }
}
