// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {StakingRegistry} from "./StakingRegistry.sol";
import {IStmtVerifier} from "./IStmtVerifier.sol";
import {IBatchVerifier} from "./IBatchVerifier.sol";
import {RoundCertifier} from "./RoundCertifier.sol";
import {JobRules} from "./JobRules.sol";
import {JobStatus, Phase} from "./JobTypes.sol";
import {JobMarketBase} from "./JobMarketBase.sol";

/// @title The round steps of the job market that run by delegatecall from `JobMarket`, on its storage:
/// complaints, certification, deadline handling and the evaluator's result (with its timeout).
/// @notice Called directly, every step reverts `JobNotActive`: this contract's own storage holds no job.
contract JobRounds is JobMarketBase {
    constructor(StakingRegistry registry_, RoundCertifier certifier_, JobRules rules_)
        JobMarketBase(registry_, certifier_, rules_)
    {}

    /// @notice Complaint window: node says it cannot fetch or open `trainer`'s envelope.
    /// A committee majority excludes the trainer from the attempt.
    function complain(uint256 jobId, address trainer) external {
        Job storage job = _active(jobId);
        uint256 k = _committeeK(jobId, msg.sender);
        bytes32 key = _attemptKey(jobId, job.round, job.attempt);
        Attempt storage a = attempts[key];
        if (a.phase != Phase.Collecting) revert WrongPhase(a.phase);
        if (block.timestamp <= a.d1) revert WindowNotOpen(a.d1);
        if (block.timestamp > a.dc) revert DeadlinePassed(a.dc);
        uint256 i = trainerIndex[jobId][trainer];
        uint64 bit = i == 0 ? 0 : uint64(1 << (i - 1));
        if (a.committedMask & bit == 0) revert NotCommitted(trainer);
        uint32 nodeBit = uint32(1) << uint32(k - 1);
        uint32 mask = complaints[key][i];
        if (mask & nodeBit != 0) revert AlreadyComplained(msg.sender, trainer);
        mask |= nodeBit;
        complaints[key][i] = mask;
        emit ComplaintFiled(jobId, job.round, job.attempt, msg.sender, trainer);
        uint256 count;
        for (; mask != 0; mask &= mask - 1) count++;
        if (a.excludedMask & bit == 0 && count * 2 > job.committee.length) {
            a.excludedMask |= bit;
            emit TrainerExcluded(jobId, job.round, job.attempt, trainer);
        }
    }

    /// @notice Step 8: checks the re-supplied commitments against the attempt's running hash, verifies
    /// every fingerprint's proof (one batch per circuit, through the RoundCertifier) and certifies the
    /// round, or slashes the trainer or node whose fault the valid proofs show and restarts the round.
    /// @param e commitments and manifests of every committed trainer, fingerprints, proofs
    /// (see RoundCertifier.Evidence)
    function certify(uint256 jobId, RoundCertifier.Evidence calldata e) external nonReentrant {
        Job storage job = _active(jobId);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Challenged) revert WrongPhase(a.phase);
        if (block.timestamp > a.d3) revert DeadlinePassed(a.d3);
        uint32 bucket = job.p.bucket;
        IStmtVerifier verifier = verifiers[bucket];
        if (address(verifier) == address(0)) revert NoVerifier(bucket);
        uint256 m = job.committee.length;
        uint256 c = a.committedCount;
        RoundCertifier.Round memory r = RoundCertifier.Round(
            jobId, job.round, job.attempt, job.p.threshold, a.rho, _chainStart(jobId, job), a.sharesChain,
            new uint256[](c), 0, _partials(a, m)
        );
        for (uint256 j = 0; j < c; j++) {
            uint256 i = a.entries[j] >> 40;
            r.ids[j] = i;
            if ((a.excludedMask >> (i - 1)) & 1 == 1) r.excluded |= 1 << j;
        }
        (RoundCertifier.Outcome outcome, uint256 offender) = certifier.check(
            sharesVerifiers[bucket][uint16(m)], IBatchVerifier(address(verifier)), r, e
        );
        if (outcome == RoundCertifier.Outcome.InconsistentShares) {
            job.bannedMask |= uint64(1 << (offender - 1));
            _fault(jobId, job, job.trainers[offender - 1], "inconsistent-shares");
            _failAttempt(jobId, job, a, "inconsistent-shares");
        } else if (outcome == RoundCertifier.Outcome.PartialSumMismatch) {
            _fault(jobId, job, job.committee[offender - 1], "partial-sum-mismatch");
            _failAttempt(jobId, job, a, "partial-sum-mismatch");
        } else if (outcome == RoundCertifier.Outcome.PartialsNotOnPolynomial) {
            _failAttempt(jobId, job, a, "partials-not-on-polynomial");
        } else {
            a.phase = Phase.Certified;
            emit RoundCertified(jobId, job.round, job.attempt, e.ys);
        }
    }

    /// @notice Moves an attempt past a missed deadline: aborts below n_min, slashes nodes that
    /// missed their partial or reveal, restarts the round as a new attempt, or accepts t reveals;
    /// after the evaluator's result deadline, pays the round by time share only and ends the job.
    function advance(uint256 jobId) external nonReentrant {
        Job storage job = _active(jobId);
        Attempt storage a = _current(jobId, job);
        uint256 m = job.committee.length;
        if (a.phase == Phase.Collecting) {
            if (block.timestamp <= a.dc) revert NothingToAdvance();
            _fixIncluded(jobId, job, a);
            if (_includedCount(a) < job.p.minTrainers) {
                _failAttempt(jobId, job, a, "too-few-trainers");
            } else if (block.timestamp > a.d2 && a.partialCount < m) {
                for (uint256 k = 0; k < m; k++) {
                    if (a.partials[k] == 0) _fault(jobId, job, job.committee[k], "missed-partial");
                }
                _failAttempt(jobId, job, a, "missed-partial");
            } else {
                revert NothingToAdvance();
            }
        } else if (a.phase == Phase.ChallengeRequested || a.phase == Phase.Challenged) {
            if (block.timestamp <= a.d3) revert NothingToAdvance();
            _failAttempt(jobId, job, a, "not-certified");
        } else if (a.phase == Phase.Certified) {
            if (block.timestamp <= a.d4) revert NothingToAdvance();
            for (uint256 k = 0; k < m; k++) {
                if (a.revealedMask & (uint16(1) << uint16(k)) == 0) _fault(jobId, job, job.committee[k], "missed-reveal");
            }
            if (a.revealCount >= job.p.threshold) {
                a.phase = Phase.Revealed;
                emit RoundAggregated(jobId, job.round, job.attempt, a.revealCount);
            } else {
                _failAttempt(jobId, job, a, "too-few-reveals");
            }
        } else if (a.phase == Phase.Revealed) {
            uint64 deadline = _resultDeadline(job, a);
            if (block.timestamp <= deadline) revert NothingToAdvance();
            emit EvaluatorTimedOut(jobId, job.round, deadline);
            _payRound(jobId, job, a, job.model, 0, new uint32[](0), PPM, true);
            _finish(jobId, job, JobStatus.Failed);
        } else {
            revert NothingToAdvance();
        }
    }

    // ---------------------------------------------------------------- rewards

    /// @notice Step 10: the job's evaluator posts the new model's hash, its accuracy (ppm) and each
    /// included trainer's accuracy share (ppm, order of `included`, summing to 1e6), before the result
    /// deadline (D4 + commitWindow). Credits the round's pool by alpha * time_share + (1 - alpha) *
    /// accuracy_share; completes the job at the target accuracy or after the last round, crediting the
    /// rest of the escrow to the owner.
    function postRoundResult(uint256 jobId, bytes32 model, uint32 accuracy, uint32[] calldata accuracyShares)
        external
        nonReentrant
    {
        Job storage job = _active(jobId);
        if (msg.sender != job.p.evaluator) revert NotEvaluator(msg.sender);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Revealed) revert WrongPhase(a.phase);
        uint64 deadline = _resultDeadline(job, a);
        if (block.timestamp > deadline) revert DeadlinePassed(deadline);
        if (accuracy > PPM) revert InvalidParameter("accuracy");
        _payRound(jobId, job, a, model, accuracy, accuracyShares, job.p.alpha, false);
        if (accuracy >= job.p.targetAccuracy || job.round + 1 >= job.p.maxRounds) {
            _finish(jobId, job, JobStatus.Completed);
        } else {
            job.round += 1;
            job.attempt = 0;
            job.bannedMask = 0;
            _openAttempt(jobId, job);
        }
    }

    /// @dev Credits pool * (alpha * t_i / sum t + (1 - alpha) * a_i) to each included trainer; `timeOnly`
    /// (the evaluator's timeout, alpha = 1) takes no accuracy shares.
    function _payRound(
        uint256 jobId,
        Job storage job,
        Attempt storage a,
        bytes32 model,
        uint32 accuracy,
        uint32[] memory accuracyShares,
        uint256 alpha,
        bool timeOnly
    ) private {
        uint256 c = a.committedCount;
        uint256 n = _includedCount(a);
        if (!timeOnly && accuracyShares.length != n) revert BadLength(accuracyShares.length, n);
        address[] memory who = new address[](n);
        uint256[] memory times = new uint256[](n);
        uint256 shareSum;
        uint256 opened = a.openedAt;
        uint256 w;
        for (uint256 j = 0; j < c; j++) {
            uint256 entry = a.entries[j];
            uint256 i = entry >> 40;
            if ((a.excludedMask >> (i - 1)) & 1 == 1) continue;
            who[w] = job.trainers[i - 1];
            times[w] = (entry & 0xFFFFFFFFFF) - opened + 1;
            if (!timeOnly) shareSum += accuracyShares[w];
            w++;
        }
        if (!timeOnly && shareSum != PPM) revert BadShares();

        uint256 pool = _remaining(job) / (job.p.maxRounds - job.round);
        address token = job.p.feeToken;
        uint256[] memory amounts = rules.rewards(pool, alpha, times, accuracyShares);
        uint256 credited;
        for (uint256 j = 0; j < n; j++) {
            if (amounts[j] != 0) {
                owed[who[j]][token] += amounts[j];
                credited += amounts[j];
                emit RewardCredited(jobId, job.round, who[j], amounts[j]);
            }
        }
        job.paid += credited;
        totalOwed[token] += credited;
        a.phase = Phase.Paid;
        job.model = model;
        emit RoundPaid(jobId, job.round, model, accuracy, pool, credited);
    }

}
