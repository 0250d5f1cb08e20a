// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {StakingRegistry} from "./StakingRegistry.sol";
import {JobRules} from "./JobRules.sol";
import {JobStatus, Phase} from "./JobTypes.sol";
import {JobMarketBase} from "./JobMarketBase.sol";
import {IDleqVerifier} from "./IDleqVerifier.sol";

/// @title The round steps of the job market that run by delegatecall from `JobMarket`, on its storage:
/// exclusion votes, deadline handling, the result opening, the evaluator's result and the owner's stop.
/// @notice Called directly, every step reverts `JobNotActive`: this contract's own storage holds no job.
contract JobRounds is JobMarketBase {
    constructor(StakingRegistry registry_, JobRules rules_) JobMarketBase(registry_, rules_) {}

    /// @notice Step 6 (D1 < now <= D2): node votes to exclude `trainer` whose envelope it cannot fetch. The vote
    /// that makes a committee majority must resupply the trainer's commitments, manifest and n_i as committed
    /// (checked against its hash); they are subtracted from the running sums. Other votes may pass no points.
    function voteExclusion(uint256 jobId, address trainer, uint256[] calldata points, bytes32 manifest, uint32 samples)
        external
    {
        Job storage job = _active(jobId);
        uint256 k = _committeeK(jobId, msg.sender);
        bytes32 key = _attemptKey(jobId, job.round, job.attempt);
        Attempt storage a = attempts[key];
        if (a.phase != Phase.Committing) revert WrongPhase(a.phase);
        if (block.timestamp <= a.d1) revert WindowNotOpen(a.d1);
        if (block.timestamp > a.d2) revert DeadlinePassed(a.d2);
        uint256 i = trainerIndex[jobId][trainer];
        uint64 bit = i == 0 ? 0 : uint64(1 << (i - 1));
        if (a.committedMask & bit == 0) revert NotCommitted(trainer);
        uint32 nodeBit = uint32(1) << uint32(k - 1);
        uint32 mask = votes[key][i];
        if (mask & nodeBit != 0) revert AlreadyVoted(msg.sender, trainer);
        mask |= nodeBit;
        votes[key][i] = mask;
        emit ExclusionVoted(jobId, job.round, job.attempt, msg.sender, trainer);
        uint256 count;
        for (; mask != 0; mask &= mask - 1) count++;
        if (a.excludedMask & bit == 0 && count * 2 > job.committee.length) _exclude(jobId, job, key, i, points, manifest, samples);
    }

    /// @notice Step 6 (D1 < now <= D2): node k complains that `trainer`'s share for it is inconsistent, publishing
    /// the envelope's ECDH point `shared` = sk_k * `ephemeral` with a DLEQ proof (c, s) against its round key
    /// PK_k, checked by the exported verifier. The share becomes public: anyone decrypts the envelope with
    /// `shared` and checks it against the trainer's commitments; the other nodes vote with voteComplaint.
    function complainShare(
        uint256 jobId,
        address trainer,
        uint256[2] calldata ephemeral,
        uint256[2] calldata shared,
        uint256 c,
        uint256 s
    ) external {
        Job storage job = _active(jobId);
        uint256 k = _committeeK(jobId, msg.sender);
        bytes32 key = _attemptKey(jobId, job.round, job.attempt);
        Attempt storage a = attempts[key];
        if (a.phase != Phase.Committing) revert WrongPhase(a.phase);
        if (block.timestamp <= a.d1) revert WindowNotOpen(a.d1);
        if (block.timestamp > a.d2) revert DeadlinePassed(a.d2);
        uint256 i = trainerIndex[jobId][trainer];
        if (i == 0 || a.committedMask & uint64(1 << (i - 1)) == 0) revert NotCommitted(trainer);
        Complaint storage cp = complaints[key][i];
        if (cp.k != 0) revert AlreadyComplained(msg.sender, trainer);
        IDleqVerifier verifier = dleqVerifier;
        if (address(verifier) == address(0)) revert NoDleqVerifier();
        uint256[2] memory pk = roundKeys[keccak256(abi.encode(jobId, job.round))][k];
        if (pk[0] == 0 && pk[1] == 0) revert NoRoundKey(k);
        bool ok;
        try verifier.verify(pk, ephemeral, shared, c, s) returns (bool valid) {
            ok = valid;
        } catch {}
        if (!ok) revert InvalidDleqProof(k);
        cp.k = uint8(k);
        emit ShareComplaint(jobId, job.round, job.attempt, msg.sender, trainer, ephemeral, shared);
    }

    /// @notice Step 6: another committee node's verdict on the complaint about `trainer` (D1 < now <= D2). With
    /// the complainer, a strict committee majority upholding excludes the trainer (the deciding vote resupplies
    /// its points, as voteExclusion) and slashes it; a strict majority rejecting slashes the complainer.
    function voteComplaint(
        uint256 jobId,
        address trainer,
        bool upheld,
        uint256[] calldata points,
        bytes32 manifest,
        uint32 samples
    ) external {
        Job storage job = _active(jobId);
        uint256 k = _committeeK(jobId, msg.sender);
        bytes32 key = _attemptKey(jobId, job.round, job.attempt);
        Attempt storage a = attempts[key];
        if (a.phase != Phase.Committing) revert WrongPhase(a.phase);
        if (block.timestamp > a.d2) revert DeadlinePassed(a.d2);
        uint256 i = trainerIndex[jobId][trainer];
        Complaint storage cp = complaints[key][i];
        if (i == 0 || cp.k == 0 || cp.resolved) revert NoComplaint(trainer);
        uint32 bit = uint32(1) << uint32(k - 1);
        if (k == cp.k || (cp.upheld | cp.rejected) & bit != 0) revert AlreadyVoted(msg.sender, trainer);
        emit ComplaintVoted(jobId, job.round, job.attempt, msg.sender, trainer, upheld);
        uint256 m = job.committee.length;
        if (upheld) {
            cp.upheld |= bit;
            if ((_bits(cp.upheld) + 1) * 2 > m) {
                cp.resolved = true;
                if (a.excludedMask & uint64(1 << (i - 1)) == 0) _exclude(jobId, job, key, i, points, manifest, samples);
                _fault(jobId, job, trainer, "inconsistent-share");
                emit ComplaintResolved(jobId, job.round, job.attempt, trainer, true);
            }
        } else {
            cp.rejected |= bit;
            if (_bits(cp.rejected) * 2 > m) {
                cp.resolved = true;
                _fault(jobId, job, job.committee[cp.k - 1], "false-complaint");
                emit ComplaintResolved(jobId, job.round, job.attempt, trainer, false);
            }
        }
    }

    function _bits(uint32 mask) private pure returns (uint256 n) {
        for (; mask != 0; mask &= mask - 1) n++;
    }

    /// @notice Moves an attempt past a missed deadline: after D2 aborts below n_min; after D3 without t openings
    /// slashes the nodes that did not open and restarts the round; after D4 without the result opening slashes
    /// the nodes that did not open or reveal and skips the round (never retried with the same updates); after the
    /// evaluator's deadline pays the trainers by time share only and ends the job.
    function advance(uint256 jobId) external nonReentrant {
        Job storage job = _active(jobId);
        Attempt storage a = _current(jobId, job);
        if (a.phase == Phase.Committing) {
            if (block.timestamp <= a.d2) revert NothingToAdvance();
            _fixIncluded(jobId, job, a);
            if (_includedCount(a) < job.p.minTrainers) {
                _failAttempt(jobId, job, a, "too-few-trainers");
            } else if (block.timestamp > a.d3) {
                _slashNonOpeners(jobId, job, a);
                _failAttempt(jobId, job, a, "not-certified");
            } else {
                revert NothingToAdvance();
            }
        } else if (a.phase == Phase.Certified) {
            if (block.timestamp <= a.d4) revert NothingToAdvance();
            _slashNonOpeners(jobId, job, a);
            uint256 m = job.committee.length;
            for (uint256 k = 0; k < m; k++) {
                if (a.revealedMask & (uint16(1) << uint16(k)) == 0) _fault(jobId, job, job.committee[k], "missed-reveal");
            }
            a.phase = Phase.Skipped;
            emit RoundSkipped(jobId, job.round, job.attempt, a.revealCount);
            _nextRound(jobId, job, JobStatus.Completed);
        } else if (a.phase == Phase.Aggregated) {
            uint64 deadline = _resultDeadline(job, a);
            if (block.timestamp <= deadline) revert NothingToAdvance();
            emit EvaluatorTimedOut(jobId, job.round, deadline);
            uint256 before = job.paid;
            _payTrainers(jobId, job, a, new uint32[](0), PPM, true);
            emit RoundPaid(jobId, job.round, job.model, 0, a.pool, job.paid - before);
            _finish(jobId, job, JobStatus.Failed);
        } else {
            revert NothingToAdvance();
        }
    }

    /// @notice Step 8 (D3 < now <= D4, or earlier once every node has opened; at least t reveals): anyone posts
    /// aggregateHash = keccak256(A || b_A) and an opening (z, y, yHat, proof.x, proof.y) of C_A = P_0 at
    /// z_A = keccak256(abi.encode(C_A.x, C_A.y, attempt, aggregateHash)) mod r, which shows A was reconstructed and
    /// binds the point to it: anyone holding a candidate A' then checks it by its hash and A'(z) = y, with no MSM
    /// (docs/protocol.md step 8, ADR 0108). Emits ResultOpened with (aggregateHash, z, y). Fixes the
    /// round's result (C_A, sum of n_i; the next round's model is their hash with the current model), pays the
    /// nodes that opened their NODE_SHARE_PPM of the round's pool and slashes those that did not.
    function openResult(uint256 jobId, bytes32 aggregateHash, uint256[5] calldata opening) external nonReentrant {
        Job storage job = _active(jobId);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Certified) revert WrongPhase(a.phase);
        if (block.timestamp <= a.d3 && a.openedCount < job.committee.length) revert WindowNotOpen(a.d3);
        if (block.timestamp > a.d4) revert DeadlinePassed(a.d4);
        if (a.revealCount < job.p.threshold) revert TooFewReveals(a.revealCount, job.p.threshold);
        (uint256 cx, uint256 cy) = (a.sums[0], a.sums[1]);
        {
            uint256 z = uint256(keccak256(abi.encode(cx, cy, job.attempt, aggregateHash))) % R;
            if (opening[0] != z) revert WrongOpeningPoint(0, opening[0], z);
        }
        uint256[] memory cs = new uint256[](2);
        (cs[0], cs[1]) = (cx, cy);
        uint256[] memory os = new uint256[](5);
        for (uint256 j = 0; j < 5; j++) os[j] = opening[j];
        bool ok;
        try kzgVerifier.verifyBatch(cs, os) returns (bool valid) {
            ok = valid;
        } catch {}
        if (!ok) revert InvalidOpening(0);

        a.phase = Phase.Aggregated;
        bytes32 model = keccak256(abi.encode(job.model, cx, cy, a.sampleSum));
        job.model = model;
        emit RoundAggregated(jobId, job.round, job.attempt, cx, cy, a.sampleSum, model);
        emit ResultOpened(jobId, job.round, job.attempt, aggregateHash, opening[0], opening[1]);

        uint256 pool = _remaining(job) / (job.p.maxRounds - job.round);
        a.pool = pool;
        uint256 nodePay = pool * NODE_SHARE_PPM / PPM / a.openedCount;
        uint256 m = job.committee.length;
        for (uint256 k = 0; k < m; k++) {
            if (a.openedMask & (uint16(1) << uint16(k)) != 0) _credit(jobId, job, job.committee[k], nodePay);
        }
        _slashNonOpeners(jobId, job, a);
    }

    /// @notice Step 9: the job's evaluator posts the hash of the new weights w', their accuracy (ppm) and each
    /// included trainer's accuracy share (ppm, order of `included`, summing to 1e6), before the result deadline
    /// (D4 + proofWindow). Credits the trainers' part of the round's pool by alpha * n_i / sum n + (1 - alpha) *
    /// accuracy_share; completes the job at the target accuracy or after the last round, crediting the rest of
    /// the escrow to the owner.
    function postRoundResult(uint256 jobId, bytes32 weights, uint32 accuracy, uint32[] calldata accuracyShares)
        external
        nonReentrant
    {
        Job storage job = _active(jobId);
        if (msg.sender != job.p.evaluator) revert NotEvaluator(msg.sender);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Aggregated) revert WrongPhase(a.phase);
        uint64 deadline = _resultDeadline(job, a);
        if (block.timestamp > deadline) revert DeadlinePassed(deadline);
        if (accuracy > PPM) revert InvalidParameter("accuracy");
        uint256 before = job.paid;
        _payTrainers(jobId, job, a, accuracyShares, job.p.alpha, false);
        emit RoundPaid(jobId, job.round, weights, accuracy, a.pool, job.paid - before);
        if (accuracy >= job.p.targetAccuracy) {
            _finish(jobId, job, JobStatus.Completed);
        } else {
            _nextRound(jobId, job, JobStatus.Completed);
        }
    }

    /// @notice The owner stops its job at any time: a round whose result is open is paid by time share, the
    /// rest of the escrow returns to the owner, stakes are released as at any job end.
    function stopJob(uint256 jobId) external nonReentrant {
        Job storage job = _active(jobId);
        if (msg.sender != job.p.owner) revert NotOwner(msg.sender);
        Attempt storage a = _current(jobId, job);
        if (a.phase == Phase.Aggregated) {
            uint256 before = job.paid;
            _payTrainers(jobId, job, a, new uint32[](0), PPM, true);
            emit RoundPaid(jobId, job.round, job.model, 0, a.pool, job.paid - before);
        }
        _finish(jobId, job, JobStatus.Completed);
    }

    /// @dev Credits the trainers' part of the pool (pool - nodes' share) by alpha * n_i / sum n + (1 - alpha) *
    /// a_i; `timeOnly` (alpha = 1) takes no accuracy shares.
    function _payTrainers(
        uint256 jobId,
        Job storage job,
        Attempt storage a,
        uint32[] memory accuracyShares,
        uint256 alpha,
        bool timeOnly
    ) private {
        uint256 c = a.committedCount;
        uint256 n = _includedCount(a);
        if (!timeOnly && accuracyShares.length != n) revert BadLength(accuracyShares.length, n);
        address[] memory who = new address[](n);
        uint256[] memory work = new uint256[](n);
        uint256 shareSum;
        uint256 w;
        for (uint256 j = 0; j < c; j++) {
            uint256 entry = a.entries[j];
            uint256 i = entry >> 32;
            if ((a.excludedMask >> (i - 1)) & 1 == 1) continue;
            who[w] = job.trainers[i - 1];
            work[w] = entry & 0xFFFFFFFF;
            if (!timeOnly) shareSum += accuracyShares[w];
            w++;
        }
        if (!timeOnly && shareSum != PPM) revert BadShares();
        uint256 pool = a.pool - a.pool * NODE_SHARE_PPM / PPM;
        uint256[] memory amounts = rules.rewards(pool, alpha, work, accuracyShares);
        for (uint256 j = 0; j < n; j++) {
            _credit(jobId, job, who[j], amounts[j]);
        }
        a.phase = Phase.Paid;
    }
}
