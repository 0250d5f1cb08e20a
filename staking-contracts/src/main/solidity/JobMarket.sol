// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {StakingRegistry} from "./StakingRegistry.sol";
import {IStmtVerifier} from "./IStmtVerifier.sol";
import {IBatchVerifier} from "./IBatchVerifier.sol";
import {RoundCertifier} from "./RoundCertifier.sol";
import {JobRules} from "./JobRules.sol";
import {JobParams, FeePermit, JobStatus, Phase, AttemptView} from "./JobTypes.sol";
import {JobMarketBase} from "./JobMarketBase.sol";
import {JobRounds} from "./JobRounds.sol";

/// @title Job escrow, committee draw, the round/attempt state machine and rewards of zkPFL.
/// @notice See docs/contracts.md. Deadlines are block times; every step emits an event. Complaints,
/// certification, deadline handling and round results run in `JobRounds` by delegatecall on this
/// contract's storage (EIP-170 headroom).
contract JobMarket is JobMarketBase {
    using SafeERC20 for IERC20;

    /// @notice The contract whose complain, certify, advance and postRoundResult run on this market's storage.
    address public immutable rounds;

    constructor(StakingRegistry registry_, RoundCertifier certifier_, address admin)
        JobMarketBase(registry_, certifier_, new JobRules())
    {
        rounds = address(new JobRounds(registry_, certifier_, rules));
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------- administration

    /// @notice Allow-lists `token` as fee token with its minimum fee (0 removes it).
    function setFeeToken(address token, uint256 minimumFee) external onlyRole(DEFAULT_ADMIN_ROLE) {
        feeTokenMinimum[token] = minimumFee;
        emit FeeTokenSet(token, minimumFee);
    }

    /// @notice Fixes the Stmt(D) verifier of size bucket `bucket`, once.
    function setVerifier(uint32 bucket, IStmtVerifier verifier) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(verifiers[bucket]) != address(0)) revert VerifierAlreadySet(bucket);
        verifiers[bucket] = verifier;
        emit VerifierSet(bucket, address(verifier));
    }

    /// @notice Fixes the SharesStatement(D, m) verifier of bucket `bucket` and committee size `m`, once.
    function setSharesVerifier(uint32 bucket, uint16 m, IBatchVerifier verifier) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(sharesVerifiers[bucket][m]) != address(0)) revert VerifierAlreadySet(bucket);
        sharesVerifiers[bucket][m] = verifier;
        emit SharesVerifierSet(bucket, m, address(verifier));
    }

    // ---------------------------------------------------------------- jobs

    /// @notice EIP-712 digest the owner signs for `p`.
    function jobDigest(JobParams calldata p) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(JOB_TYPEHASH, p)));
    }

    /// @notice Creates a job from the owner's signed parameters; the fee is pulled from the owner.
    /// When `permit.deadline` is non-zero, the fee is first approved with the fee token's EIP-2612
    /// permit (a failing permit is ignored: the transfer then needs an earlier approval).
    function createJob(JobParams calldata p, bytes calldata ownerSignature, FeePermit calldata permit)
        external
        nonReentrant
        returns (uint256)
    {
        if (permit.deadline != 0) {
            try IERC20Permit(p.feeToken).permit(p.owner, address(this), p.fee, permit.deadline, permit.v, permit.r, permit.s) {}
                catch {}
        }
        return _createJob(p, ownerSignature);
    }

    function _createJob(JobParams calldata p, bytes calldata ownerSignature) private returns (uint256 jobId) {
        if (block.timestamp > p.deadline) revert SignatureExpired(p.deadline);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(jobDigest(p), ownerSignature);
        if (err != ECDSA.RecoverError.NoError || signer != p.owner || signer == address(0)) revert InvalidSignature();
        if (usedNonces[p.owner][p.nonce]) revert NonceAlreadyUsed(p.owner, p.nonce);
        usedNonces[p.owner][p.nonce] = true;
        rules.validate(p, feeTokenMinimum[p.feeToken]);

        IERC20 token = IERC20(p.feeToken);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(p.owner, address(this), p.fee);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received < feeTokenMinimum[p.feeToken]) revert FeeBelowMinimum(received, feeTokenMinimum[p.feeToken]);

        jobId = ++jobCount;
        Job storage job = jobs[jobId];
        job.p = p;
        job.status = JobStatus.Active;
        job.model = p.modelHash;
        job.escrowed = received;
        emit JobCreated(jobId, p.owner, p.feeToken, received, p.modelHash, p.bucket);
        _drawCommittee(jobId, job);
        _openAttempt(jobId, job);
    }

    function _drawCommittee(uint256 jobId, Job storage job) private {
        (address[] memory pool, uint256[] memory weights) = registry.nodePool();
        bytes32 seed = keccak256(abi.encode(block.prevrandao, blockhash(block.number - 1), address(this), jobId));
        uint256[] memory picked = rules.draw(weights, job.p.committeeSize, seed);
        for (uint256 j = 0; j < picked.length; j++) {
            address node = pool[picked[j]];
            job.committee.push(node);
            committeeIndex[jobId][node] = j + 1;
            registry.lock(node, StakingRegistry.Kind.Node);
        }
        emit CommitteeDrawn(jobId, job.committee);
    }

    /// @notice Joins a live job as trainer; the caller's stake stays locked until the job ends.
    function join(uint256 jobId) external {
        Job storage job = _active(jobId);
        if (!registry.isEligibleTrainer(msg.sender)) revert NotStaked(msg.sender);
        if (trainerIndex[jobId][msg.sender] != 0) revert AlreadyJoined(msg.sender);
        if (job.trainers.length >= job.p.maxTrainers) revert JobFull(jobId);
        job.trainers.push(msg.sender);
        trainerIndex[jobId][msg.sender] = job.trainers.length;
        registry.lock(msg.sender, StakingRegistry.Kind.Trainer);
        emit TrainerJoined(jobId, msg.sender, job.trainers.length);
    }

    /// @notice Releases the caller's stake lock once the job has ended.
    function release(uint256 jobId) external {
        Job storage job = jobs[jobId];
        if (job.status == JobStatus.Active) revert JobStillActive(jobId);
        if (trainerIndex[jobId][msg.sender] == 0 && committeeIndex[jobId][msg.sender] == 0) revert NotParticipant(msg.sender);
        if (released[jobId][msg.sender]) revert NotParticipant(msg.sender);
        released[jobId][msg.sender] = true;
        registry.unlock(msg.sender);
        emit Released(jobId, msg.sender);
    }

    // ---------------------------------------------------------------- round steps

    /// @notice Step 5: trainer posts its share commitments c_ik (k = 1..m) and the digest of its envelope
    /// manifest (sha256 of the IPFS manifest listing the m envelopes' CIDs and hashes; the manifest's
    /// CIDv1 raw-leaf address is derived from it).
    function commitShares(uint256 jobId, uint256[] calldata commitments, bytes32 manifest) external {
        Job storage job = _active(jobId);
        uint256 i = trainerIndex[jobId][msg.sender];
        if (i == 0) revert TrainerNotJoined(msg.sender);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Collecting) revert WrongPhase(a.phase);
        if (block.timestamp > a.d1) revert DeadlinePassed(a.d1);
        uint64 bit = uint64(1 << (i - 1));
        if (job.bannedMask & bit != 0) revert TrainerBanned(msg.sender);
        if (a.committedMask & bit != 0) revert AlreadyCommitted(msg.sender);
        uint256 m = job.committee.length;
        if (commitments.length != m) revert BadLength(commitments.length, m);
        for (uint256 k = 0; k < m; k++) {
            if (commitments[k] == 0 || commitments[k] >= R) revert FieldElementOutOfRange(commitments[k]);
        }
        if (manifest == bytes32(0)) revert InvalidParameter("manifest");
        a.committedMask |= bit;
        a.entries[a.committedCount] = uint64((i << 40) | block.timestamp);
        a.committedCount += 1;
        a.sharesChain = keccak256(abi.encodePacked(a.sharesChain, i, commitments, manifest));
        emit SharesCommitted(jobId, job.round, job.attempt, msg.sender, i, commitments, manifest);
    }

    /// @notice Step 6: node k posts the salted commitment h_k of its partial sum.
    function commitPartial(uint256 jobId, uint256 h) external {
        Job storage job = _active(jobId);
        uint256 k = _committeeK(jobId, msg.sender);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Collecting) revert WrongPhase(a.phase);
        if (block.timestamp <= a.dc) revert WindowNotOpen(a.dc);
        if (block.timestamp > a.d2) revert DeadlinePassed(a.d2);
        if (h == 0 || h >= R) revert FieldElementOutOfRange(h);
        _fixIncluded(jobId, job, a);
        uint256 included = _includedCount(a);
        if (included < job.p.minTrainers) revert TooFewTrainers(included, job.p.minTrainers);
        if (a.partials[k - 1] != 0) revert AlreadyCommitted(msg.sender);
        a.partials[k - 1] = h;
        a.partialCount += 1;
        emit PartialCommitted(jobId, job.round, job.attempt, msg.sender, k, h);
    }

    /// @notice Step 7a: after D2 with all partials posted, picks the block whose hash seeds rho.
    function requestChallenge(uint256 jobId) external {
        Job storage job = _active(jobId);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Collecting) revert WrongPhase(a.phase);
        if (block.timestamp <= a.d2) revert WindowNotOpen(a.d2);
        if (a.partialCount < job.committee.length) revert PartialsMissing(a.partialCount, job.committee.length);
        a.phase = Phase.ChallengeRequested;
        a.challengeBlock = uint64(block.number);
        emit ChallengeRequested(jobId, job.round, job.attempt, a.challengeBlock);
    }

    /// @notice Step 7b: fixes rho from every commitment of the attempt (the shares' running hash and the
    /// partials) and the chosen block's hash (re-targets to the current block when that hash is gone).
    function fixChallenge(uint256 jobId) external {
        Job storage job = _active(jobId);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.ChallengeRequested) revert WrongPhase(a.phase);
        if (block.number <= a.challengeBlock) revert ChallengeNotReady();
        bytes32 bh = blockhash(a.challengeBlock);
        if (bh == bytes32(0)) {
            a.challengeBlock = uint64(block.number);
            emit ChallengeRequested(jobId, job.round, job.attempt, a.challengeBlock);
            return;
        }
        uint256 rho = uint256(keccak256(abi.encode(a.sharesChain, _partials(a, job.committee.length), bh))) % R;
        if (rho == 0) rho = 1;
        a.rho = rho;
        a.phase = Phase.Challenged;
        emit ChallengeFixed(jobId, job.round, job.attempt, rho);
    }

    /// @notice Step 9: node k announces the IPFS CID of its revealed S_k and s_k.
    function revealPartial(uint256 jobId, string calldata cid) external {
        Job storage job = _active(jobId);
        uint256 k = _committeeK(jobId, msg.sender);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Certified) revert WrongPhase(a.phase);
        if (block.timestamp > a.d4) revert DeadlinePassed(a.d4);
        if (bytes(cid).length == 0 || bytes(cid).length > 128) revert BadLength(bytes(cid).length, 128);
        uint16 bit = uint16(1) << uint16(k - 1);
        if (a.revealedMask & bit != 0) revert AlreadyCommitted(msg.sender);
        a.revealedMask |= bit;
        a.revealCount += 1;
        emit PartialRevealed(jobId, job.round, job.attempt, msg.sender, cid);
        if (a.revealCount == job.committee.length) {
            a.phase = Phase.Revealed;
            emit RoundAggregated(jobId, job.round, job.attempt, a.revealCount);
        }
    }

    // ---------------------------------------------------------------- steps run by JobRounds (delegatecall)

    /// @notice Complaint window: node says it cannot fetch or open `trainer`'s envelope (see JobRounds).
    function complain(uint256, address) external {
        _delegate();
    }

    /// @notice Step 8: certification (see JobRounds.certify and RoundCertifier.Evidence).
    function certify(uint256, RoundCertifier.Evidence calldata) external {
        _delegate();
    }

    /// @notice Moves an attempt past a missed deadline (see JobRounds.advance).
    function advance(uint256) external {
        _delegate();
    }

    /// @notice Step 10: the evaluator's round result (see JobRounds.postRoundResult).
    function postRoundResult(uint256, bytes32, uint32, uint32[] calldata) external {
        _delegate();
    }

    /// @dev Runs the current call's function of `rounds` on this contract's storage; reverts bubble up.
    function _delegate() private {
        address target = rounds;
        assembly ("memory-safe") {
            let p := mload(0x40)
            calldatacopy(p, 0, calldatasize())
            let ok := delegatecall(gas(), target, p, calldatasize(), 0, 0)
            returndatacopy(p, 0, returndatasize())
            if iszero(ok) { revert(p, returndatasize()) }
            return(p, returndatasize())
        }
    }

    // ---------------------------------------------------------------- rewards

    /// @notice Pays out everything credited to the caller in `token` (pull payment).
    function claim(address token) external nonReentrant {
        uint256 amount = owed[msg.sender][token];
        if (amount == 0) revert NothingToClaim();
        owed[msg.sender][token] = 0;
        totalOwed[token] -= amount;
        IERC20(token).safeTransfer(msg.sender, amount);
        emit Claimed(msg.sender, token, amount);
    }

    // ---------------------------------------------------------------- views

    function jobParams(uint256 jobId) external view returns (JobParams memory) {
        return jobs[jobId].p;
    }

    /// @notice The job's state; its committee and trainers come from committeeOf and trainersOf.
    function jobState(uint256 jobId)
        external
        view
        returns (JobStatus status, uint16 round, uint16 attempt, bytes32 model, uint256 escrowed, uint256 paid, uint256 refunded)
    {
        Job storage job = jobs[jobId];
        return (job.status, job.round, job.attempt, job.model, job.escrowed, job.paid, job.refunded);
    }

    function committeeOf(uint256 jobId) external view returns (address[] memory) {
        return jobs[jobId].committee;
    }

    function trainersOf(uint256 jobId) external view returns (address[] memory) {
        return jobs[jobId].trainers;
    }

    /// @notice The current attempt's phase, deadlines (block times), challenge and counters.
    function attemptState(uint256 jobId) external view returns (AttemptView memory) {
        Job storage job = jobs[jobId];
        Attempt storage a = _current(jobId, job);
        return AttemptView(
            a.phase, a.openedAt, a.d1, a.dc, a.d2, a.d3, a.d4, a.rho, a.partialCount, a.revealCount
        );
    }

    /// @notice The block time after which the evaluator can no longer post the current round's result
    /// and anyone may close the round by time share (D4 + commitWindow).
    function resultDeadline(uint256 jobId) external view returns (uint64) {
        Job storage job = jobs[jobId];
        return _resultDeadline(job, _current(jobId, job));
    }

    /// @notice Trainers of the current attempt in commit order: those who committed, and those included
    /// (committed and not excluded; empty until the included set is fixed).
    function participantsOf(uint256 jobId) external view returns (address[] memory committed, address[] memory included) {
        Job storage job = jobs[jobId];
        Attempt storage a = _current(jobId, job);
        uint256 c = a.committedCount;
        committed = new address[](c);
        included = new address[](a.includedFixed ? _includedCount(a) : 0);
        uint256 w;
        for (uint256 j = 0; j < c; j++) {
            uint256 i = a.entries[j] >> 40;
            committed[j] = job.trainers[i - 1];
            if (a.includedFixed && (a.excludedMask >> (i - 1)) & 1 == 0) included[w++] = committed[j];
        }
    }

    /// @notice The partial commitments h_k of the current attempt (0 where not posted).
    function partialsOf(uint256 jobId) external view returns (uint256[] memory) {
        Job storage job = jobs[jobId];
        return _partials(_current(jobId, job), job.committee.length);
    }

    /// @notice Escrow not yet paid or refunded: escrowed = paid + refunded + remaining.
    function remaining(uint256 jobId) external view returns (uint256) {
        return _remaining(jobs[jobId]);
    }

    function claimable(address account, address token) external view returns (uint256) {
        return owed[account][token];
    }

    /// @notice The tag of (role, i, k) in the job's current attempt, as the circuit's public input.
    function tagOf(uint256 jobId, uint8 role, uint256 i, uint256 k) public view returns (uint256) {
        Job storage job = jobs[jobId];
        return certifier.tag(address(this), jobId, job.round, job.attempt, role, i, k);
    }
}
