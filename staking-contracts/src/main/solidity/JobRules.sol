// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {JobParams} from "./JobTypes.sol";

/// @title Stateless rules of the job market: parameter checks, the stake-weighted committee draw and the
/// reward split. Deployed by `JobMarket`'s constructor (its `rules()`), so that the market's own code
/// stays well below the EIP-170 limit; reverts bubble up through the market unchanged.
contract JobRules {
    uint256 public constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 public constant PPM = 1_000_000;
    uint16 public constant MAX_COMMITTEE = 16;
    uint16 public constant MAX_TRAINERS = 64;
    uint16 public constant MAX_ROUNDS = 1_000;
    uint32 public constant MAX_WINDOW = 7 days;
    /// @notice Most per-group accuracies a round's result may carry.
    uint16 public constant MAX_GROUPS = 64;

    error FeeTokenNotAllowed(address token);
    error FeeBelowMinimum(uint256 fee, uint256 minimum);
    error InvalidParameter(string field);
    error NotEnoughNodes(uint256 available, uint256 needed);
    error BondBelowMinimum(uint256 bond, uint256 minimum);

    /// @notice Reverts unless `p` follows the protocol's parameter rules and the fee token's allow-listing
    /// (`minimumFee` 0: not allow-listed). An owner that evaluates its own job, or commits to its own validation
    /// set, bonds at least `minOwnerBondPpm` of the fee (docs/adr/0100).
    function validate(JobParams calldata p, uint256 minimumFee, uint256 minOwnerBondPpm) external pure {
        if (minimumFee == 0) revert FeeTokenNotAllowed(p.feeToken);
        if (p.fee < minimumFee) revert FeeBelowMinimum(p.fee, minimumFee);
        if (p.evaluator == address(0)) revert InvalidParameter("evaluator");
        if (p.bucket < 4 || (p.bucket & (p.bucket - 1)) != 0) revert InvalidParameter("bucket");
        if (p.maxRounds == 0 || p.maxRounds > MAX_ROUNDS) revert InvalidParameter("maxRounds");
        // t >= 2, m >= 2t - 1 (docs/protocol.md, Parameters)
        if (p.threshold < 2 || p.committeeSize < 2 * p.threshold - 1 || p.committeeSize > MAX_COMMITTEE) {
            revert InvalidParameter("committee");
        }
        if (p.minTrainers == 0 || p.maxTrainers < p.minTrainers || p.maxTrainers > MAX_TRAINERS) {
            revert InvalidParameter("trainers");
        }
        if (p.targetAccuracy > PPM || p.alpha > PPM) revert InvalidParameter("ppm");
        if (
            p.commitWindow == 0 || p.complaintWindow == 0 || p.partialWindow == 0 || p.proofWindow == 0
                || p.revealWindow == 0 || p.commitWindow > MAX_WINDOW || p.complaintWindow > MAX_WINDOW
                || p.partialWindow > MAX_WINDOW || p.proofWindow > MAX_WINDOW || p.revealWindow > MAX_WINDOW
        ) revert InvalidParameter("window");
        // n_max * N_max * B * 2^f < (r - 1) / 2, with clipQ16 = B * 2^f
        if (p.maxSamples == 0 || p.clipQ16 == 0) revert InvalidParameter("quantisation");
        if (p.clipQ16 > ((R - 1) / 2 - 1) / (uint256(p.maxTrainers) * p.maxSamples)) revert InvalidParameter("quantisation");
        if (p.fee > type(uint128).max) revert InvalidParameter("fee");
        if (p.evaluatorVersion == bytes32(0)) revert InvalidParameter("evaluatorVersion");
        if (p.groups > MAX_GROUPS) revert InvalidParameter("groups");
        if (p.evaluatorBond > type(uint128).max) revert InvalidParameter("evaluatorBond");
        if (p.evaluator == p.owner || p.validationCommitment != bytes32(0)) {
            uint256 minimum = p.fee * minOwnerBondPpm / PPM;
            if (p.evaluatorBond < minimum) revert BondBelowMinimum(p.evaluatorBond, minimum);
        }
    }

    /// @notice Reverts with NotEnoughNodes unless at least `m` of `weights` are non-zero.
    function requireEligible(uint256[] memory weights, uint256 m) external pure {
        _eligibleWeight(weights, m);
    }

    function _eligibleWeight(uint256[] memory weights, uint256 m) private pure returns (uint256 total) {
        uint256 eligible;
        for (uint256 i = 0; i < weights.length; i++) {
            if (weights[i] != 0) {
                total += weights[i];
                eligible++;
            }
        }
        if (eligible < m) revert NotEnoughNodes(eligible, m);
    }

    /// @notice Draws `m` distinct positions of `weights` without replacement, each with probability
    /// proportional to its weight among the non-zero ones, from `seed`.
    function draw(uint256[] memory weights, uint256 m, bytes32 seed) external pure returns (uint256[] memory picked) {
        uint256 total = _eligibleWeight(weights, m);
        picked = new uint256[](m);
        for (uint256 j = 0; j < m; j++) {
            seed = keccak256(abi.encode(seed, j));
            uint256 x = uint256(seed) % total;
            uint256 i = 0;
            while (x >= weights[i]) {
                x -= weights[i];
                i++;
            }
            total -= weights[i];
            weights[i] = 0;
            picked[j] = i;
        }
    }
}
