package io.zkpfl.zk.r1cs;

import io.zkpfl.zk.bn254.Fr;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable rank-1 constraint system in iden3 wire order.
 *
 * <p>Wire 0 is the constant 1, wires {@code 1..numPublic()} are the public outputs followed by the
 * public inputs, and the remaining wires are private. Constraint {@code i} states
 * {@code <a(i),w> · <b(i),w> = <c(i),w>}. A witness is a full assignment {@code Fr[numWires()]} with
 * {@code w[0] = 1}; the public input vector given to a verifier is {@code w[1..numPublic()]}.
 *
 * <p>Storage is flat (one index/coefficient array per matrix) so that large systems stay compact;
 * {@link #a(int)}, {@link #b(int)}, {@link #c(int)} materialise one row, {@link #forEachTerm} and
 * {@link #multiply} walk all rows without allocation per term.
 */
public final class R1cs {

    /** One of the three matrices. */
    public enum Matrix { A, B, C }

    /** Receives one non-zero matrix entry. */
    @FunctionalInterface
    public interface TermConsumer {
        void accept(int constraint, int wire, Fr coeff);
    }

    private final int numWires;
    private final int numPublic;
    private final int numPublicOutputs;
    private final int numPrivateInputs;
    private final int numConstraints;
    private final Sparse[] matrices;

    /** Row-compressed storage of one matrix. */
    record Sparse(int[] rowStart, int[] wires, Fr[] coeffs) {
        int nonZeros() {
            return wires.length;
        }
    }

    R1cs(int numWires, int numPublicOutputs, int numPublic, int numPrivateInputs, int numConstraints,
         Sparse a, Sparse b, Sparse c) {
        this.numWires = numWires;
        this.numPublicOutputs = numPublicOutputs;
        this.numPublic = numPublic;
        this.numPrivateInputs = numPrivateInputs;
        this.numConstraints = numConstraints;
        this.matrices = new Sparse[] {a, b, c};
    }

    /** Total number of wires including the constant wire 0. */
    public int numWires() {
        return numWires;
    }

    /** Number of public wires (outputs + inputs), excluding wire 0. */
    public int numPublic() {
        return numPublic;
    }

    /** Number of public outputs (they come first among the public wires). */
    public int numPublicOutputs() {
        return numPublicOutputs;
    }

    /** Number of private inputs (informational; iden3 header field {@code nPrvIn}). */
    public int numPrivateInputs() {
        return numPrivateInputs;
    }

    /** Number of constraints. */
    public int numConstraints() {
        return numConstraints;
    }

    /** Number of non-zero entries of one matrix. */
    public long nonZeros(Matrix m) {
        return matrices[m.ordinal()].nonZeros();
    }

    /** Row {@code i} of matrix A. */
    public LinearCombination a(int i) {
        return row(Matrix.A, i);
    }

    /** Row {@code i} of matrix B. */
    public LinearCombination b(int i) {
        return row(Matrix.B, i);
    }

    /** Row {@code i} of matrix C. */
    public LinearCombination c(int i) {
        return row(Matrix.C, i);
    }

    /** Row {@code i} of the given matrix. */
    public LinearCombination row(Matrix m, int i) {
        Objects.checkIndex(i, numConstraints);
        Sparse s = matrices[m.ordinal()];
        int from = s.rowStart[i];
        int to = s.rowStart[i + 1];
        return new LinearCombination(Arrays.copyOfRange(s.wires, from, to), Arrays.copyOfRange(s.coeffs, from, to));
    }

    /** Calls {@code consumer} for every non-zero entry of matrix {@code m}, row by row. */
    public void forEachTerm(Matrix m, TermConsumer consumer) {
        Sparse s = matrices[m.ordinal()];
        for (int i = 0; i < numConstraints; i++) {
            for (int k = s.rowStart[i], end = s.rowStart[i + 1]; k < end; k++) {
                consumer.accept(i, s.wires[k], s.coeffs[k]);
            }
        }
    }

    /**
     * Computes {@code out[i] = <row_i(m), witness>} for every constraint.
     *
     * @throws IllegalArgumentException if the witness or output length is wrong
     */
    public void multiply(Matrix m, Fr[] witness, Fr[] out) {
        checkWitnessLength(witness);
        if (out.length < numConstraints) {
            throw new IllegalArgumentException("output array shorter than the number of constraints");
        }
        Sparse s = matrices[m.ordinal()];
        for (int i = 0; i < numConstraints; i++) {
            out[i] = dot(s, i, witness);
        }
    }

    /** Evaluates {@code <row_i(m), witness>}. */
    public Fr evaluate(Matrix m, int i, Fr[] witness) {
        return dot(matrices[m.ordinal()], i, witness);
    }

    private static Fr dot(Sparse s, int i, Fr[] w) {
        Fr acc = Fr.ZERO;
        for (int k = s.rowStart[i], end = s.rowStart[i + 1]; k < end; k++) {
            Fr coeff = s.coeffs[k];
            Fr value = w[s.wires[k]];
            acc = acc.add(coeff.isOne() ? value : coeff.mul(value));
        }
        return acc;
    }

    /** True iff {@code witness} has the right length, {@code w[0] = 1} and every constraint holds. */
    public boolean isSatisfied(Fr[] witness) {
        if (witness == null || witness.length != numWires || !Fr.ONE.equals(witness[0])) {
            return false;
        }
        for (Fr f : witness) {
            if (f == null) {
                return false;
            }
        }
        return firstUnsatisfied(witness) < 0;
    }

    /**
     * Index of the first constraint that the witness violates, or -1 if all hold.
     *
     * @throws IllegalArgumentException if the witness has the wrong length or {@code w[0] != 1}
     */
    public int firstUnsatisfied(Fr[] witness) {
        checkWitnessLength(witness);
        if (!Fr.ONE.equals(witness[0])) {
            throw new IllegalArgumentException("witness[0] must be the constant 1");
        }
        Sparse a = matrices[0];
        Sparse b = matrices[1];
        Sparse c = matrices[2];
        for (int i = 0; i < numConstraints; i++) {
            if (!dot(a, i, witness).mul(dot(b, i, witness)).equals(dot(c, i, witness))) {
                return i;
            }
        }
        return -1;
    }

    private void checkWitnessLength(Fr[] witness) {
        if (witness == null || witness.length != numWires) {
            throw new IllegalArgumentException("witness must have " + numWires + " entries, got "
                    + (witness == null ? "null" : Integer.toString(witness.length)));
        }
        for (Fr f : witness) {
            if (f == null) {
                throw new IllegalArgumentException("witness has a null entry");
            }
        }
    }

    @Override
    public String toString() {
        return "R1cs[wires=" + numWires + ", public=" + numPublic + ", constraints=" + numConstraints + "]";
    }

    /** Starts a system with the given public-wire counts. */
    public static Builder builder(int numPublicOutputs, int numPublicInputs) {
        return new Builder(numPublicOutputs, numPublicInputs);
    }

    /**
     * Accumulates constraints; wires {@code 1..numPublic} are public, any higher index is private.
     * Not thread-safe.
     */
    public static final class Builder {
        private final int numPublicOutputs;
        private final int numPublic;
        private int numPrivateInputs;
        private int maxWire;
        private int count;
        private final Growing[] parts = {new Growing(), new Growing(), new Growing()};

        private Builder(int numPublicOutputs, int numPublicInputs) {
            if (numPublicOutputs < 0 || numPublicInputs < 0) {
                throw new IllegalArgumentException("negative public wire count");
            }
            this.numPublicOutputs = numPublicOutputs;
            this.numPublic = numPublicOutputs + numPublicInputs;
            this.maxWire = numPublic;
        }

        /** Declares how many of the private wires are private inputs (iden3 {@code nPrvIn}). */
        public Builder privateInputs(int n) {
            this.numPrivateInputs = n;
            return this;
        }

        /** Adds {@code a · b = c}; returns the constraint's index. */
        public int add(LinearCombination a, LinearCombination b, LinearCombination c) {
            return add(a.wires(), a.coeffs(), a.size(), b.wires(), b.coeffs(), b.size(),
                    c.wires(), c.coeffs(), c.size());
        }

        /**
         * Adds {@code a · b = c} given as raw arrays (first {@code n} entries used; wires strictly
         * ascending, coefficients non-zero). The arrays are copied. Returns the constraint's index.
         */
        public int add(int[] aw, Fr[] ac, int an, int[] bw, Fr[] bc, int bn, int[] cw, Fr[] cc, int cn) {
            check(aw, ac, an);
            check(bw, bc, bn);
            check(cw, cc, cn);
            parts[0].append(aw, ac, an);
            parts[1].append(bw, bc, bn);
            parts[2].append(cw, cc, cn);
            maxWire = Math.max(maxWire, Math.max(last(aw, an), Math.max(last(bw, bn), last(cw, cn))));
            return count++;
        }

        private static void check(int[] w, Fr[] c, int n) {
            for (int k = 0; k < n; k++) {
                if (w[k] < 0 || (k > 0 && w[k] <= w[k - 1]) || c[k] == null || c[k].isZero()) {
                    throw new IllegalArgumentException("row must have strictly ascending wires and non-zero coefficients");
                }
            }
        }

        private static int last(int[] w, int n) {
            return n == 0 ? -1 : w[n - 1];
        }

        /** Number of constraints so far. */
        public int size() {
            return count;
        }

        /** Builds with {@code numWires} = one more than the highest wire index seen (at least the public ones). */
        public R1cs build() {
            return build(maxWire + 1);
        }

        /**
         * Builds with an explicit wire count (wires never referenced are allowed).
         */
        public R1cs build(int numWires) {
            return build(numWires, null);
        }

        /**
         * Builds after renaming every wire index through {@code relabel} (which must map the wires
         * used into {@code [0, numWires)} injectively and fix 0..numPublic); rows are re-sorted if
         * the map is not monotone. Lets a compiler allocate provisional indices and fix the iden3
         * order at the end.
         */
        public R1cs build(int numWires, java.util.function.IntUnaryOperator relabel) {
            if (relabel != null) {
                int newMax = numPublic;
                for (Growing g : parts) {
                    newMax = Math.max(newMax, g.relabel(relabel));
                }
                maxWire = newMax;
            }
            if (numWires <= maxWire) {
                throw new IllegalArgumentException("numWires " + numWires + " but wire " + maxWire + " is used");
            }
            return new R1cs(numWires, numPublicOutputs, numPublic, numPrivateInputs, count,
                    parts[0].seal(count), parts[1].seal(count), parts[2].seal(count));
        }
    }

    private static final class Growing {
        int[] rowStart = new int[1024];
        int[] wires = new int[4096];
        Fr[] coeffs = new Fr[4096];
        int rows;
        int nnz;

        void append(int[] w, Fr[] c, int n) {
            if (rows + 2 > rowStart.length) {
                rowStart = Arrays.copyOf(rowStart, rowStart.length * 2);
            }
            if (nnz + n > wires.length) {
                int cap = Math.max(wires.length * 2, nnz + n);
                wires = Arrays.copyOf(wires, cap);
                coeffs = Arrays.copyOf(coeffs, cap);
            }
            System.arraycopy(w, 0, wires, nnz, n);
            System.arraycopy(c, 0, coeffs, nnz, n);
            nnz += n;
            rows++;
            rowStart[rows] = nnz;
        }

        int relabel(java.util.function.IntUnaryOperator map) {
            int max = -1;
            for (int k = 0; k < nnz; k++) {
                wires[k] = map.applyAsInt(wires[k]);
                max = Math.max(max, wires[k]);
            }
            for (int r = 0; r < rows; r++) {
                int from = rowStart[r];
                int to = rowStart[r + 1];
                boolean sorted = true;
                for (int k = from + 1; k < to && sorted; k++) {
                    sorted = wires[k] > wires[k - 1];
                }
                if (!sorted) {
                    sortRow(from, to);
                }
            }
            return max;
        }

        private void sortRow(int from, int to) {
            Integer[] order = new Integer[to - from];
            for (int k = 0; k < order.length; k++) {
                order[k] = from + k;
            }
            Arrays.sort(order, (x, y) -> Integer.compare(wires[x], wires[y]));
            int[] w = new int[order.length];
            Fr[] c = new Fr[order.length];
            for (int k = 0; k < order.length; k++) {
                w[k] = wires[order[k]];
                c[k] = coeffs[order[k]];
                if (k > 0 && w[k] == w[k - 1]) {
                    throw new IllegalArgumentException("relabelling maps two wires of one row to " + w[k]);
                }
            }
            System.arraycopy(w, 0, wires, from, w.length);
            System.arraycopy(c, 0, coeffs, from, c.length);
        }

        Sparse seal(int count) {
            return new Sparse(Arrays.copyOf(rowStart, count + 1), Arrays.copyOf(wires, nnz), Arrays.copyOf(coeffs, nnz));
        }
    }
}
