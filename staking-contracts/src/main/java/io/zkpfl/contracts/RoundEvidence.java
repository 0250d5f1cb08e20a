package io.zkpfl.contracts;

import java.math.BigInteger;
import java.util.List;

/**
 * What {@code certify} takes (Solidity {@code RoundCertifier.Evidence}): the attempt's share commitments
 * re-supplied as posted, the fingerprints and the proofs of two circuits.
 *
 * @param commitments  c_i1..c_im of every trainer that committed, in commit order (excluded ones too)
 * @param manifests    each committed trainer's envelope-manifest digest (32 bytes), same order
 * @param ys           y_i1..y_im of every included trainer (commit order), then Y_1..Y_m
 * @param split        bit j set: the j-th included trainer is proved by m Stmt(D) proofs (node fallback)
 *                     instead of one SharesStatement(D, m) proof
 * @param sharesProofs 8 words per SharesStatement proof, included non-split trainers in order
 * @param stmtProofs   8 words per Stmt(D) proof: the m shares of each split trainer in order, then the m partials
 */
public record RoundEvidence(List<BigInteger> commitments, List<byte[]> manifests, List<BigInteger> ys,
                            BigInteger split, List<BigInteger> sharesProofs, List<BigInteger> stmtProofs) {

    public RoundEvidence {
        commitments = List.copyOf(commitments);
        manifests = List.copyOf(manifests);
        ys = List.copyOf(ys);
        sharesProofs = List.copyOf(sharesProofs);
        stmtProofs = List.copyOf(stmtProofs);
    }

    /** The same evidence with other fingerprints. */
    public RoundEvidence withYs(List<BigInteger> other) {
        return new RoundEvidence(commitments, manifests, other, split, sharesProofs, stmtProofs);
    }

    /** The same evidence with other commitments. */
    public RoundEvidence withCommitments(List<BigInteger> other) {
        return new RoundEvidence(other, manifests, ys, split, sharesProofs, stmtProofs);
    }

    /** The same evidence with other proofs. */
    public RoundEvidence withProofs(List<BigInteger> shares, List<BigInteger> stmt) {
        return new RoundEvidence(commitments, manifests, ys, split, shares, stmt);
    }
}
