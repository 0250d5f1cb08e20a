// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {StakingRegistry} from "./StakingRegistry.sol";
import {JobRules} from "./JobRules.sol";
import {JobStatus, Phase, BondState} from "./JobTypes.sol";
import {JobMarketBase} from "./JobMarketBase.sol";
import {IDleqVerifier} from "./IDleqVerifier.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

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
        Attempt storage a = attempts[jobId];
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
        if (a.excludedMask & bit == 0 && count * 2 > job.committee.length) _exclude(jobId, job, i, points, manifest, samples);
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
        Attempt storage a = attempts[jobId];
        if (a.phase != Phase.Committing) revert WrongPhase(a.phase);
        if (block.timestamp <= a.d1) revert WindowNotOpen(a.d1);
        if (block.timestamp > a.d2) revert DeadlinePassed(a.d2);
        uint256 i = trainerIndex[jobId][trainer];
        if (i == 0 || a.committedMask & uint64(1 << (i - 1)) == 0) revert NotCommitted(trainer);
        Complaint storage cp = complaints[key][i];
        if (cp.k != 0) revert AlreadyComplained(msg.sender, trainer);
        IDleqVerifier verifier = dleqVerifier;
        if (address(verifier) == address(0)) revert NoDleqVerifier();
        if ((keyRounds[jobId] >> (16 * (k - 1))) & 0xFFFF != uint256(job.round) + 1) revert NoRoundKey(k);
        uint256[2] memory pk;
        (pk[0], pk[1]) = _unpackPoint(roundKeys[jobId][k], 0);
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
        Attempt storage a = attempts[jobId];
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
                if (a.excludedMask & uint64(1 << (i - 1)) == 0) _exclude(jobId, job, i, points, manifest, samples);
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

    /// @notice Node k publishes its per-round envelope key PK_k (x, y on G1) for the job's current round, once,
    /// before the current attempt's D1; complaints are checked against it.
    function postRoundKey(uint256 jobId, uint256[2] calldata publicKey) external {
        Job storage job = _active(jobId);
        uint256 k = _committeeK(jobId, msg.sender);
        Attempt storage a = _current(jobId, job);
        if (block.timestamp > a.d1) revert DeadlinePassed(a.d1);
        _postKey(jobId, job.round, k, msg.sender, publicKey[0], publicKey[1]);
    }

    /// @notice Step 8: node k announces the IPFS CID of its revealed S_k || b_k (certified attempts, until D4).
    function revealPartial(uint256 jobId, bytes calldata cid) external {
        Job storage job = _active(jobId);
        _reveal(jobId, job, _committeeK(jobId, msg.sender), msg.sender, cid);
    }

    /// @notice Step 8, batched (the coordination leader's call, docs/adr/0113-round-storage.md): the reveals of
    /// several nodes in one transaction. Entry j is node ks[j]'s CID and its key for the job's next round
    /// (nextKeys[2j], nextKeys[2j + 1]; both 0 for none, which the job's last round requires), signed off by the
    /// node: an EIP-191 signature over keccak256(abi.encode("zkPFL reveal", market, chain id, job, round, attempt,
    /// k, keccak256(cid), key x, key y)). Each entry is checked as revealPartial checks a node's own reveal.
    function revealPartials(
        uint256 jobId,
        uint256[] calldata ks,
        bytes[] calldata cids,
        uint256[] calldata nextKeys,
        bytes[] calldata signatures
    ) external {
        uint256 n = ks.length;
        if (cids.length != n) revert BadLength(cids.length, n);
        if (nextKeys.length != 2 * n) revert BadLength(nextKeys.length, 2 * n);
        if (signatures.length != n) revert BadLength(signatures.length, n);
        Job storage job = _active(jobId);
        bool last = job.round + 1 >= job.p.maxRounds;
        for (uint256 j = 0; j < n; j++) {
            uint256 k = ks[j];
            if (k == 0 || k > job.committee.length) revert NotCommitteeMember(address(0));
            address node = job.committee[k - 1];
            (uint256 x, uint256 y) = (nextKeys[2 * j], nextKeys[2 * j + 1]);
            bytes32 digest = MessageHashUtils.toEthSignedMessageHash(
                keccak256(
                    abi.encode(
                        bytes32("zkPFL reveal"), address(this), block.chainid, jobId, job.round, job.attempt, k,
                        keccak256(cids[j]), x, y
                    )
                )
            );
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signatures[j]);
            if (err != ECDSA.RecoverError.NoError || signer != node) revert InvalidSignature();
            _reveal(jobId, job, k, node, cids[j]);
            if (x != 0 || y != 0) {
                if (last) revert InvalidParameter("nextKey");
                _postKey(jobId, job.round + 1, k, node, x, y);
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
        (uint256 cx, uint256 cy) = _sum(a, 0);
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
        a.pool = uint128(pool); // pool <= fee < 2^128 (JobRules)
        uint256 nodePay = pool * NODE_SHARE_PPM / PPM / a.openedCount;
        uint256 m = job.committee.length;
        if (nodePay != 0) {
            address token = job.p.feeToken;
            for (uint256 k = 0; k < m; k++) {
                if (a.openedMask & (uint16(1) << uint16(k)) == 0) continue;
                owed[job.committee[k]][token] += nodePay;
                emit RewardCredited(jobId, job.round, job.committee[k], nodePay);
            }
            uint256 credited = nodePay * a.openedCount;
            job.paid += credited;
            totalOwed[token] += credited;
        }
        _slashNonOpeners(jobId, job, a);
    }

    /// @notice Step 9: the job's evaluator posts the hash of the new weights w', their accuracy (ppm) and each
    /// included trainer's accuracy share (ppm, order of `included`, summing to 1e6), before the result deadline
    /// (D4 + proofWindow). Credits the trainers' part of the round's pool by alpha * n_i / sum n + (1 - alpha) *
    /// accuracy_share; completes the job at the target accuracy or after the last round, crediting the rest of
    /// the escrow to the owner. `groupAccuracies` (ppm, one per group of JobParams.groups, none when 0) are
    /// emitted in GroupAccuracies.
    function postRoundResult(
        uint256 jobId,
        bytes32 weights,
        uint32 accuracy,
        uint32[] calldata accuracyShares,
        uint32[] calldata groupAccuracies
    ) external nonReentrant {
        Job storage job = _active(jobId);
        if (msg.sender != job.p.evaluator) revert NotEvaluator(msg.sender);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Aggregated) revert WrongPhase(a.phase);
        uint64 deadline = _resultDeadline(job, a);
        if (block.timestamp > deadline) revert DeadlinePassed(deadline);
        if (accuracy > PPM) revert InvalidParameter("accuracy");
        _checkGroups(job.p.groups, groupAccuracies);
        if (groupAccuracies.length != 0) emit GroupAccuracies(jobId, job.round, groupAccuracies);
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

    /// @dev Credits the trainers' part of the pool (pool - nodes' share): trainer j gets
    /// pool * (alpha * n_j / sum n + (1 - alpha) * a_j) / 1e12, with alpha and the accuracy shares a_j in ppm;
    /// `timeOnly` (alpha = 1) takes no accuracy shares. Records the included set for the bond's dispute.
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
        uint256 sampleSum = a.sampleSum;
        address token = job.p.feeToken;
        uint16 round = job.round;
        uint256 credited;
        for (uint256 j = 0; j < n; j++) {
            uint256 weight = (alpha * work[j] * PPM) / sampleSum + (timeOnly ? 0 : (PPM - alpha) * accuracyShares[j]);
            uint256 amount = (pool * weight) / (PPM * PPM);
            if (amount == 0) continue;
            owed[who[j]][token] += amount;
            credited += amount;
            emit RewardCredited(jobId, round, who[j], amount);
        }
        job.paid += credited;
        totalOwed[token] += credited;
        a.phase = Phase.Paid;
        // the included set stays on record for the bond's dispute after the attempt's slots are reused (only a job
        // with a bond can be disputed)
        if (evaluations[jobId].bond != 0) paidMasks[jobId][round >> 2] |= uint256(a.committedMask & ~a.excludedMask) << (64 * (round & 3));
    }

    // ---------------------------------------------------------------- accountable evaluation
    // (docs/contracts.md "Accountable evaluation", docs/adr/0100 and 0101)

    /// @notice Admin: the treasury that receives creation fees, the creation fee (ppm of each job's fee, at most
    /// MAX_CREATION_FEE_PPM), the minimum bond of an owner that evaluates itself or commits to its own validation
    /// set (ppm of the fee, at most 1e6), and the disclosure and dispute windows that follow a job's end.
    function setEconomics(
        address treasury_,
        uint32 creationFeePpm_,
        uint32 minOwnerBondPpm_,
        uint32 disclosureWindow_,
        uint32 disputeWindow_
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (creationFeePpm_ > MAX_CREATION_FEE_PPM) revert InvalidParameter("creationFeePpm");
        if (creationFeePpm_ != 0 && treasury_ == address(0)) revert InvalidParameter("treasury");
        if (minOwnerBondPpm_ > PPM) revert InvalidParameter("minOwnerBondPpm");
        if (
            disclosureWindow_ == 0 || disputeWindow_ == 0 || disclosureWindow_ > MAX_EVALUATION_WINDOW
                || disputeWindow_ > MAX_EVALUATION_WINDOW
        ) revert InvalidParameter("window");
        (treasury, creationFeePpm, minOwnerBondPpm, disclosureWindow, disputeWindow) =
            (treasury_, creationFeePpm_, minOwnerBondPpm_, disclosureWindow_, disputeWindow_);
        emit EconomicsSet(treasury_, creationFeePpm_, minOwnerBondPpm_, disclosureWindow_, disputeWindow_);
    }

    /// @notice After the job ended, until its disclosure deadline: discloses the owner's validation set, checked
    /// against the signed commitment keccak256(abi.encode(bundleHash, contentKey)); `cid` is the IPFS address of
    /// the encrypted bundle. Anyone holding the preimage may send it (it can only clear the owner).
    function discloseValidation(uint256 jobId, bytes32 bundleHash, bytes32 contentKey, bytes calldata cid) external {
        Job storage job = _ended(jobId);
        bytes32 commitment = job.p.validationCommitment;
        if (commitment == bytes32(0)) revert NothingToDisclose(jobId);
        Evaluation storage ev = evaluations[jobId];
        if (ev.disclosed) revert AlreadyDisclosed(jobId);
        if (block.timestamp > ev.disclosureDeadline) revert DeadlinePassed(ev.disclosureDeadline);
        if (cid.length == 0 || cid.length > 64) revert BadLength(cid.length, 64);
        if (keccak256(abi.encode(bundleHash, contentKey)) != commitment) revert ValidationMismatch(jobId);
        ev.disclosed = true;
        emit ValidationDisclosed(jobId, bundleHash, contentKey, cid);
    }

    /// @notice A committee node's vote, once per round, that the evaluator's posted result of `round` is not what
    /// the validation set (disclosed, or the public default when none was committed) reproduces. From the
    /// disclosure (or the job's end) until the dispute deadline. At t votes on one round the bond is slashed to
    /// the trainers paid in that round (EvaluationDisputed, BondSlashed).
    function disputeEvaluation(uint256 jobId, uint16 round) external nonReentrant {
        Job storage job = _ended(jobId);
        uint256 k = _committeeK(jobId, msg.sender);
        Evaluation storage ev = _heldBond(jobId);
        if (job.p.validationCommitment != bytes32(0) && !ev.disclosed) revert NotDisclosed(jobId);
        if (block.timestamp > ev.disputeDeadline) revert DeadlinePassed(ev.disputeDeadline);
        uint64 included = _paidIncluded(jobId, round);
        uint32 bit = uint32(1) << uint32(k - 1);
        uint32 mask = disputeVotes[jobId][round];
        if (mask & bit != 0) revert AlreadyDisputed(msg.sender, round);
        mask |= bit;
        disputeVotes[jobId][round] = mask;
        emit DisputeVoted(jobId, round, msg.sender);
        uint256 count = _bits(mask);
        if (count >= job.p.threshold) {
            emit EvaluationDisputed(jobId, round, count);
            _slashBond(jobId, job, ev, _includedOf(job, included), "disputed");
        }
    }

    /// @notice Anyone, after the disclosure deadline of a job whose owner committed to a validation set and did
    /// not disclose it: slashes the bond equally to every trainer that joined the job (to the treasury if none).
    function slashUndisclosed(uint256 jobId) external nonReentrant {
        Job storage job = _ended(jobId);
        if (job.p.validationCommitment == bytes32(0)) revert NothingToDisclose(jobId);
        Evaluation storage ev = _heldBond(jobId);
        if (ev.disclosed) revert AlreadyDisclosed(jobId);
        if (block.timestamp <= ev.disclosureDeadline) revert WindowNotOpen(ev.disclosureDeadline);
        _slashBond(jobId, job, ev, job.trainers, "undisclosed");
    }

    /// @notice Anyone, after the dispute deadline, when the bond was neither slashed nor released and the
    /// committed set (if any) was disclosed: credits the bond back to the owner.
    function releaseBond(uint256 jobId) external nonReentrant {
        Job storage job = _ended(jobId);
        Evaluation storage ev = _heldBond(jobId);
        if (job.p.validationCommitment != bytes32(0) && !ev.disclosed) revert NotDisclosed(jobId);
        if (block.timestamp <= ev.disputeDeadline) revert WindowNotOpen(ev.disputeDeadline);
        ev.bondState = BondState.Released;
        address owner = job.p.owner;
        uint256 bond = ev.bond;
        owed[owner][job.p.feeToken] += bond;
        totalOwed[job.p.feeToken] += bond;
        emit BondReleased(jobId, owner, bond);
    }

    /// @dev Reverts unless there is one accuracy (ppm) per group.
    function _checkGroups(uint256 groups, uint32[] calldata groupAccuracies) private pure {
        if (groupAccuracies.length != groups) revert WrongGroupCount(groupAccuracies.length, groups);
        for (uint256 g = 0; g < groups; g++) {
            if (groupAccuracies[g] > PPM) revert GroupAccuracyOutOfRange(g, groupAccuracies[g]);
        }
    }

    function _ended(uint256 jobId) private view returns (Job storage job) {
        job = jobs[jobId];
        if (job.status == JobStatus.Active) revert JobStillActive(jobId);
        if (job.status == JobStatus.None) revert JobNotEnded(jobId);
    }

    function _heldBond(uint256 jobId) private view returns (Evaluation storage ev) {
        ev = evaluations[jobId];
        if (ev.bond == 0) revert NoBond(jobId);
        if (ev.bondState != BondState.Held) revert BondSettled(jobId, ev.bondState);
    }

    /// @dev The included trainers (bit i - 1) of the paid attempt of `round`; reverts RoundNotPaid when none was.
    function _paidIncluded(uint256 jobId, uint16 round) private view returns (uint64 included) {
        included = uint64(paidMasks[jobId][round >> 2] >> (64 * (round & 3)));
        if (included == 0) revert RoundNotPaid(round);
    }

    /// @dev The trainers of `included` (bit i - 1), in join order.
    function _includedOf(Job storage job, uint64 included) private view returns (address[] memory who) {
        uint256 n;
        for (uint64 bits = included; bits != 0; bits &= bits - 1) n++;
        who = new address[](n);
        uint256 w;
        for (uint256 i = 1; w < n; i++) {
            if ((included >> (i - 1)) & 1 == 1) who[w++] = job.trainers[i - 1];
        }
    }

    /// @dev Credits the whole bond in equal parts to `to` (the remainder of the division to the first), or to the
    /// treasury when `to` is empty (the owner when no treasury is set); never twice (the state leaves Held).
    function _slashBond(uint256 jobId, Job storage job, Evaluation storage ev, address[] memory to, bytes32 reason)
        private
    {
        ev.bondState = BondState.Slashed;
        uint256 bond = ev.bond;
        address token = job.p.feeToken;
        if (to.length == 0) {
            to = new address[](1);
            to[0] = treasury == address(0) ? job.p.owner : treasury;
        }
        uint256 n = to.length;
        uint256 share = bond / n;
        for (uint256 j = 0; j < n; j++) {
            owed[to[j]][token] += j == 0 ? bond - share * (n - 1) : share;
        }
        totalOwed[token] += bond;
        emit BondSlashed(jobId, reason, bond, to);
    }
}
