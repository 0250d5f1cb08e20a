// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IStmtVerifier} from "./IStmtVerifier.sol";

/// @title Certification checks of one attempt (PROTOCOL.md step 8), stateless.
/// @notice Assembles the public inputs (tag, h, rho, y) of every fingerprint, verifies all proofs in
/// one batch, then checks each trainer's points (k, y_ik) and the partials' points (k, Y_k) for
/// degree <= t - 1 and Y_k = sum_i y_ik in the BN254 scalar field. Tags are bound to the caller
/// (the job market) so they match `JobMarket.tagOf`.
contract RoundCertifier {
    uint256 public constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint8 public constant ROLE_SHARE = 0;
    uint8 public constant ROLE_PARTIAL = 1;

    enum Outcome {
        Certified,
        InconsistentShares,
        PartialSumMismatch,
        PartialsNotOnPolynomial
    }

    /// @notice One attempt's data. `commitments` holds c_ik row by row (trainer j, node k), `trainerIds`
    /// the trainers' 1-based indices in the job, `ys` their y_ik then Y_1..Y_m.
    struct Attempt {
        uint256 jobId;
        uint16 round;
        uint16 attempt;
        uint256 threshold;
        uint256 rho;
        uint256[] trainerIds;
        uint256[] commitments;
        uint256[] partials;
    }

    error BadLength(uint256 actual, uint256 expected);
    error FieldElementOutOfRange(uint256 value);
    error InvalidProof();

    /// @notice Verifies the proofs (reverts InvalidProof) and returns the first failed check with the
    /// offending trainer position (InconsistentShares) or node position (PartialSumMismatch).
    function check(IStmtVerifier verifier, Attempt calldata att, uint256[] calldata ys, uint256[] calldata proofs)
        external
        view
        returns (Outcome outcome, uint256 offender)
    {
        uint256 m = att.partials.length;
        uint256 n = att.trainerIds.length;
        uint256 count = n * m + m;
        if (att.commitments.length != n * m) revert BadLength(att.commitments.length, n * m);
        if (ys.length != count) revert BadLength(ys.length, count);
        if (proofs.length != 8 * count) revert BadLength(proofs.length, 8 * count);
        if (!verifier.verifyBatch(proofs, publicInputs(msg.sender, att, ys))) revert InvalidProof();

        uint256 d = att.threshold - 1;
        uint256[] memory points = new uint256[](m);
        uint256[] memory sums = new uint256[](m);
        for (uint256 j = 0; j < n; j++) {
            for (uint256 k = 0; k < m; k++) {
                points[k] = ys[j * m + k];
                sums[k] = addmod(sums[k], points[k], R);
            }
            if (!degreeAtMost(points, d)) return (Outcome.InconsistentShares, j);
        }
        for (uint256 k = 0; k < m; k++) {
            points[k] = ys[n * m + k];
            if (points[k] != sums[k]) return (Outcome.PartialSumMismatch, k);
        }
        if (!degreeAtMost(points, d)) return (Outcome.PartialsNotOnPolynomial, 0);
        return (Outcome.Certified, 0);
    }

    /// @notice The public inputs (tag, h, rho, y) of every fingerprint, in proof order.
    function publicInputs(address market, Attempt calldata att, uint256[] calldata ys)
        public
        view
        returns (uint256[] memory inputs)
    {
        uint256 m = att.partials.length;
        uint256 n = att.trainerIds.length;
        inputs = new uint256[](4 * (n * m + m));
        uint256 w = 0;
        for (uint256 j = 0; j < n; j++) {
            for (uint256 k = 0; k < m; k++) {
                uint256 y = ys[j * m + k];
                if (y >= R) revert FieldElementOutOfRange(y);
                inputs[w++] = tag(market, att.jobId, att.round, att.attempt, ROLE_SHARE, att.trainerIds[j], k + 1);
                inputs[w++] = att.commitments[j * m + k];
                inputs[w++] = att.rho;
                inputs[w++] = y;
            }
        }
        for (uint256 k = 0; k < m; k++) {
            uint256 y = ys[n * m + k];
            if (y >= R) revert FieldElementOutOfRange(y);
            inputs[w++] = tag(market, att.jobId, att.round, att.attempt, ROLE_PARTIAL, 0, k + 1);
            inputs[w++] = att.partials[k];
            inputs[w++] = att.rho;
            inputs[w++] = y;
        }
    }

    /// @notice tag = keccak256(abi.encode(chainid, market, job, round, attempt, role, i, k)) mod r.
    function tag(address market, uint256 jobId, uint16 round, uint16 attempt, uint8 role, uint256 i, uint256 k)
        public
        view
        returns (uint256)
    {
        return uint256(keccak256(abi.encode(block.chainid, market, jobId, round, attempt, role, i, k))) % R;
    }

    /// @notice Whether the points (1, v[0]) .. (m, v[m-1]) lie on one polynomial of degree <= d:
    /// true iff every (d+1)-th forward difference vanishes.
    function degreeAtMost(uint256[] memory v, uint256 d) public pure returns (bool) {
        uint256 m = v.length;
        if (m <= d + 1) return true;
        uint256[] memory diff = new uint256[](m);
        for (uint256 k = 0; k < m; k++) {
            if (v[k] >= R) revert FieldElementOutOfRange(v[k]);
            diff[k] = v[k];
        }
        for (uint256 order = 1; order <= d + 1; order++) {
            for (uint256 k = 0; k + order < m; k++) {
                diff[k] = addmod(diff[k + 1], R - diff[k], R);
            }
        }
        for (uint256 k = 0; k + d + 1 < m; k++) {
            if (diff[k] != 0) return false;
        }
        return true;
    }
}
