// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IBatchVerifier} from "./IBatchVerifier.sol";

/// @title Certification checks of one attempt (v1, docs/contracts.md), stateless.
/// @notice Re-hashes the share commitments the caller re-supplies against the attempt's running hash,
/// assembles the public inputs of every proof, verifies each circuit's proofs in one batch (one
/// SharesStatement(D, m) proof per trainer, or m Stmt(D) proofs for a trainer whose shares a node
/// proves; Stmt(D) proofs for the partials), then checks each trainer's points (k, y_ik) and the
/// partials' points (k, Y_k) for degree <= t - 1 and Y_k = sum_i y_ik in the BN254 scalar field.
/// Tags are bound to the caller (the job market) so they match `JobMarket.tagOf`.
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

    /// @notice One attempt's state as the market holds it.
    /// @param ids the committed trainers' 1-based job indices in commit order
    /// @param excluded bit j set: the j-th committed trainer was excluded by complaints
    /// @param chainStart, chainEnd the running hash of the share commitments before the first and after the last commit
    struct Round {
        uint256 jobId;
        uint16 round;
        uint16 attempt;
        uint256 threshold;
        uint256 rho;
        bytes32 chainStart;
        bytes32 chainEnd;
        uint256[] ids;
        uint256 excluded;
        uint256[] partials;
    }

    /// @notice What the certifying caller supplies.
    /// @param commitments c_i1..c_im of every committed trainer (commit order, excluded ones too), as posted
    /// @param manifests the envelope-manifest digest of every committed trainer, as posted
    /// @param ys y_i1..y_im of every included trainer (commit order), then Y_1..Y_m
    /// @param split bit j set: the j-th included trainer is proved by m Stmt(D) proofs, else by one SharesStatement proof
    /// @param sharesProofs 8 words per SharesStatement proof, included trainers in order
    /// @param stmtProofs 8 words per Stmt(D) proof: the m shares of each split trainer in order, then the m partials
    struct Evidence {
        uint256[] commitments;
        bytes32[] manifests;
        uint256[] ys;
        uint256 split;
        uint256[] sharesProofs;
        uint256[] stmtProofs;
    }

    error BadLength(uint256 actual, uint256 expected);
    error FieldElementOutOfRange(uint256 value);
    error InvalidProof();
    error CommitmentMismatch();
    error NoSharesVerifier(uint256 m);

    /// @notice Checks the commitments and proofs (reverting CommitmentMismatch, BadLength, InvalidProof) and returns
    /// the first failed check with the offender: a trainer's job index (InconsistentShares) or node k (PartialSumMismatch).
    function check(IBatchVerifier sharesVerifier, IBatchVerifier stmtVerifier, Round calldata r, Evidence calldata e)
        external
        view
        returns (Outcome outcome, uint256 offender)
    {
        uint256 m = r.partials.length;
        uint256 c = r.ids.length;
        _checkChain(r, e, m, c);
        uint256[] memory included = _included(r, c);
        uint256 n = included.length;
        if (e.ys.length != n * m + m) revert BadLength(e.ys.length, n * m + m);
        if (e.split >> n != 0) revert BadLength(e.split, n);
        _verify(sharesVerifier, stmtVerifier, r, e, included, msg.sender);
        (outcome, offender) = _consistency(r.threshold, e.ys, included, m);
        if (outcome == Outcome.InconsistentShares) offender = r.ids[included[offender]];
    }

    function _checkChain(Round calldata r, Evidence calldata e, uint256 m, uint256 c) private pure {
        if (e.commitments.length != c * m) revert BadLength(e.commitments.length, c * m);
        if (e.manifests.length != c) revert BadLength(e.manifests.length, c);
        bytes32 chain = r.chainStart;
        for (uint256 j = 0; j < c; j++) {
            chain = keccak256(abi.encodePacked(chain, r.ids[j], e.commitments[j * m:(j + 1) * m], e.manifests[j]));
        }
        if (chain != r.chainEnd) revert CommitmentMismatch();
    }

    /// @dev Positions (in commit order) of the included trainers.
    function _included(Round calldata r, uint256 c) private pure returns (uint256[] memory pos) {
        uint256 n;
        for (uint256 j = 0; j < c; j++) {
            if ((r.excluded >> j) & 1 == 0) n++;
        }
        pos = new uint256[](n);
        n = 0;
        for (uint256 j = 0; j < c; j++) {
            if ((r.excluded >> j) & 1 == 0) pos[n++] = j;
        }
    }

    function _verify(
        IBatchVerifier sharesVerifier,
        IBatchVerifier stmtVerifier,
        Round calldata r,
        Evidence calldata e,
        uint256[] memory included,
        address market
    ) private view {
        uint256 m = r.partials.length;
        uint256 n = included.length;
        uint256 splitCount;
        for (uint256 j = 0; j < n; j++) {
            if ((e.split >> j) & 1 == 1) splitCount++;
        }
        uint256 whole = n - splitCount;
        if (e.sharesProofs.length != 8 * whole) revert BadLength(e.sharesProofs.length, 8 * whole);
        uint256 stmtCount = splitCount * m + m;
        if (e.stmtProofs.length != 8 * stmtCount) revert BadLength(e.stmtProofs.length, 8 * stmtCount);

        uint256[] memory sharesInputs = new uint256[](whole * (2 + 2 * m));
        uint256[] memory stmtInputs = new uint256[](4 * stmtCount);
        uint256 ws;
        uint256 wt;
        for (uint256 j = 0; j < n; j++) {
            uint256 p = included[j];
            uint256 base = tagBase(market, r.jobId, r.round, r.attempt, ROLE_SHARE, r.ids[p]);
            if ((e.split >> j) & 1 == 0) {
                sharesInputs[ws++] = base;
                sharesInputs[ws++] = r.rho;
                for (uint256 k = 0; k < m; k++) {
                    sharesInputs[ws++] = e.commitments[p * m + k];
                }
                for (uint256 k = 0; k < m; k++) {
                    sharesInputs[ws++] = _field(e.ys[j * m + k]);
                }
            } else {
                for (uint256 k = 0; k < m; k++) {
                    wt = _stmt(stmtInputs, wt, addmod(base, k + 1, R), e.commitments[p * m + k], r.rho, e.ys[j * m + k]);
                }
            }
        }
        uint256 pbase = tagBase(market, r.jobId, r.round, r.attempt, ROLE_PARTIAL, 0);
        for (uint256 k = 0; k < m; k++) {
            wt = _stmt(stmtInputs, wt, addmod(pbase, k + 1, R), r.partials[k], r.rho, e.ys[n * m + k]);
        }
        if (whole != 0) {
            if (address(sharesVerifier) == address(0)) revert NoSharesVerifier(m);
            if (!sharesVerifier.verifyBatch(e.sharesProofs, sharesInputs)) revert InvalidProof();
        }
        if (!stmtVerifier.verifyBatch(e.stmtProofs, stmtInputs)) revert InvalidProof();
    }

    function _stmt(uint256[] memory inputs, uint256 w, uint256 tag_, uint256 h, uint256 rho, uint256 y)
        private
        pure
        returns (uint256)
    {
        inputs[w] = tag_;
        inputs[w + 1] = h;
        inputs[w + 2] = rho;
        inputs[w + 3] = _field(y);
        return w + 4;
    }

    function _field(uint256 v) private pure returns (uint256) {
        if (v >= R) revert FieldElementOutOfRange(v);
        return v;
    }

    function _consistency(uint256 threshold, uint256[] calldata ys, uint256[] memory included, uint256 m)
        private
        pure
        returns (Outcome, uint256)
    {
        uint256 n = included.length;
        uint256 d = threshold - 1;
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
            if (points[k] != sums[k]) return (Outcome.PartialSumMismatch, k + 1);
        }
        if (!degreeAtMost(points, d)) return (Outcome.PartialsNotOnPolynomial, 0);
        return (Outcome.Certified, 0);
    }

    /// @notice The tag base of (role, i): keccak256(abi.encode(chainid, market, job, round, attempt, role, i)) mod r.
    function tagBase(address market, uint256 jobId, uint16 round, uint16 attempt, uint8 role, uint256 i)
        public
        view
        returns (uint256)
    {
        return uint256(keccak256(abi.encode(block.chainid, market, jobId, round, attempt, role, i))) % R;
    }

    /// @notice tag(role, i, k) = tagBase(role, i) + k mod r, the Stmt(D) tag of share k of trainer i (role 0)
    /// or of partial k (role 1, i = 0); a SharesStatement proof takes the base and adds k in-circuit.
    function tag(address market, uint256 jobId, uint16 round, uint16 attempt, uint8 role, uint256 i, uint256 k)
        public
        view
        returns (uint256)
    {
        return addmod(tagBase(market, jobId, round, attempt, role, i), k, R);
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
