package io.zkpfl.zk.frontend;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.r1cs.R1cs;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compiled circuit: its {@link R1cs} (iden3 wire order), its declared inputs and the program
 * that solves the witness from an {@link Assignment}.
 */
public final class CompiledCircuit {

    private final R1cs r1cs;
    private final List<InputSpec> inputs;
    private final int[] stepConstraint;
    private final int[] stepOut;
    private final int[] stepSlotA;
    private final int[] stepSlotB;
    private final int numSlots;
    private final List<Api.HintCall> hintCalls;
    private final BitSet defining;
    private final int[] constraintLabel;
    private final List<String> labels;

    CompiledCircuit(R1cs r1cs, List<InputSpec> inputs, int[] stepConstraint, int[] stepOut,
                    int[] stepSlotA, int[] stepSlotB, int numSlots, List<Api.HintCall> hintCalls, BitSet defining, int[] constraintLabel, List<String> labels) {
        this.r1cs = r1cs;
        this.inputs = inputs;
        this.stepConstraint = stepConstraint;
        this.stepOut = stepOut;
        this.stepSlotA = stepSlotA;
        this.stepSlotB = stepSlotB;
        this.numSlots = numSlots;
        this.hintCalls = hintCalls;
        this.defining = defining;
        this.constraintLabel = constraintLabel;
        this.labels = labels;
    }

    /** The constraint system. */
    public R1cs r1cs() {
        return r1cs;
    }

    /** Declared inputs, public ones first, in declaration order. */
    public List<InputSpec> inputs() {
        return inputs;
    }

    /** The label of constraint {@code i}: the scopes and operation that created it. */
    public String label(int i) {
        return labels.get(constraintLabel[i]);
    }

    /**
     * Computes the full witness for {@code assignment} and checks every constraint.
     *
     * @throws WitnessException naming the missing, unknown or mis-sized input, or the index and
     *                          label of the first constraint that does not hold
     */
    public Witness solve(Assignment assignment) {
        Fr[] w = new Fr[r1cs.numWires()];
        w[0] = Fr.ONE;
        Set<String> declared = new HashSet<>();
        for (InputSpec in : inputs) {
            declared.add(in.name());
            Fr[] v = assignment.get(in.name());
            if (v == null) {
                throw new WitnessException("missing input '" + in.name() + "'", -1);
            }
            if (v.length != in.length()) {
                throw new WitnessException("input '" + in.name() + "' needs " + in.length()
                        + " value(s), got " + v.length, -1);
            }
            System.arraycopy(v, 0, w, in.firstWire(), v.length);
        }
        for (String name : assignment.names()) {
            if (!declared.contains(name)) {
                throw new WitnessException("unknown input '" + name + "'", -1);
            }
        }
        Fr[] slots = new Fr[numSlots];
        for (int s = 0; s < stepConstraint.length; s++) {
            int ci = stepConstraint[s];
            if (ci >= 0) {
                Fr a = slots[stepSlotA[s]];
                if (a == null) {
                    a = r1cs.evaluate(R1cs.Matrix.A, ci, w);
                    slots[stepSlotA[s]] = a;
                }
                Fr b = slots[stepSlotB[s]];
                if (b == null) {
                    b = r1cs.evaluate(R1cs.Matrix.B, ci, w);
                    slots[stepSlotB[s]] = b;
                }
                w[stepOut[s]] = a.mul(b);
            } else {
                runHint(hintCalls.get(-ci - 1), w);
            }
        }
        int n = r1cs.numConstraints();
        for (int i = 0; i < n; i++) {
            if (defining.get(i)) {
                continue;
            }
            Fr a = r1cs.evaluate(R1cs.Matrix.A, i, w);
            Fr b = r1cs.evaluate(R1cs.Matrix.B, i, w);
            if (!a.mul(b).equals(r1cs.evaluate(R1cs.Matrix.C, i, w))) {
                throw new WitnessException("constraint #" + i + " (" + label(i) + ") is not satisfied", i);
            }
        }
        return new Witness(w, r1cs.numPublic());
    }

    private static void runHint(Api.HintCall call, Fr[] w) {
        Fr[] in = new Fr[call.inputWires().length];
        for (int k = 0; k < in.length; k++) {
            int[] iw = call.inputWires()[k];
            Fr[] ic = call.inputCoeffs()[k];
            Fr acc = Fr.ZERO;
            for (int j = 0; j < iw.length; j++) {
                acc = acc.add(ic[j].mul(w[iw[j]]));
            }
            in[k] = acc;
        }
        Fr[] out = call.hint().compute(in, call.nOut());
        if (out == null || out.length != call.nOut()) {
            throw new WitnessException("hint " + call.hint().getClass().getSimpleName() + " returned "
                    + (out == null ? "null" : out.length + " values") + ", expected " + call.nOut(), -1);
        }
        for (int k = 0; k < out.length; k++) {
            if (out[k] == null) {
                throw new WitnessException("hint returned a null value", -1);
            }
            w[call.firstOut() + k] = out[k];
        }
    }

    @Override
    public String toString() {
        return "CompiledCircuit[" + r1cs + "]";
    }
}
