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
import {RoundCertifier} from "./RoundCertifier.sol";
import {JobParams, FeePermit, JobStatus, Phase, AttemptView} from "./JobTypes.sol";

/// @title Job escrow, committee draw, the round/attempt state machine and rewards of zkPFL.
/// @notice See docs/contracts.md. Deadlines are block times; every step emits an event.
contract JobMarket is AccessControl, ReentrancyGuard, EIP712 {
    using SafeERC20 for IERC20;

    /// @notice The BN254 scalar field modulus.
    uint256 public constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 public constant PPM = 1_000_000;
    uint16 public constant MAX_ATTEMPTS = 4;
    uint16 public constant MAX_COMMITTEE = 16;
    uint16 public constant MAX_TRAINERS = 64;
    uint16 public constant SLASH_BPS = 1_000;
    uint256 public constant FRACTION_BITS = 16;

    bytes32 public constant JOB_TYPEHASH = keccak256(
        "JobParams(address owner,address feeToken,uint256 fee,address evaluator,bytes32 modelHash,uint32 bucket,"
        "uint16 maxRounds,uint16 committeeSize,uint16 threshold,uint16 minTrainers,uint16 maxTrainers,uint32 maxSamples,"
        "uint256 clipQ16,uint32 targetAccuracy,uint32 alpha,uint32 commitWindow,uint32 complaintWindow,uint32 partialWindow,"
        "uint32 proofWindow,uint32 revealWindow,uint256 nonce,uint256 deadline)"
    );

    struct Job {
        JobParams p;
        JobStatus status;
        uint16 round;
        uint16 attempt;
        bytes32 model;
        uint256 escrowed;
        uint256 paid;
        uint256 refunded;
        address[] committee;
        address[] trainers;
    }

    struct Attempt {
        Phase phase;
        bool includedFixed;
        uint8 excludedCount;
        uint8 partialCount;
        uint8 revealCount;
        uint64 openedAt;
        uint64 d1;
        uint64 dc;
        uint64 d2;
        uint64 d3;
        uint64 d4;
        uint64 challengeBlock;
        uint32 revealedMask;
        uint256 rho;
        bytes32 transcript;
        address[] committed;
        address[] included;
        uint256[] partials;
    }

    struct Slot {
        uint64 committedAt;
        uint32 complaintMask;
        uint8 complaints;
        bool excluded;
    }

    StakingRegistry public immutable registry;
    RoundCertifier public immutable certifier;

    uint256 public jobCount;
    mapping(uint256 => Job) private jobs;
    mapping(uint256 => mapping(address => uint256)) private trainerIndex; // 1-based i
    mapping(uint256 => mapping(address => uint256)) private committeeIndex; // 1-based k
    mapping(uint256 => mapping(address => bool)) private released;
    mapping(bytes32 => Attempt) private attempts;
    mapping(bytes32 => mapping(address => Slot)) private slots;
    mapping(bytes32 => mapping(address => bytes32)) private shareCommitmentHash; // keccak256(abi.encodePacked(c_i1..c_im))
    mapping(bytes32 => mapping(address => bool)) private bannedInRound;
    mapping(address => mapping(uint256 => bool)) private usedNonces;
    mapping(address => mapping(address => uint256)) private owed; // account => token => amount
    mapping(address => uint256) public totalOwed; // token => amount
    mapping(address => uint256) public feeTokenMinimum; // 0: not allow-listed
    mapping(uint32 => IStmtVerifier) public verifiers;

    error FeeTokenNotAllowed(address token);
    error FeeBelowMinimum(uint256 fee, uint256 minimum);
    error InvalidParameter(string field);
    error SignatureExpired(uint256 deadline);
    error InvalidSignature();
    error NonceAlreadyUsed(address owner, uint256 nonce);
    error NotEnoughNodes(uint256 available, uint256 needed);
    error JobNotActive(uint256 jobId);
    error NotStaked(address trainer);
    error AlreadyJoined(address trainer);
    error JobFull(uint256 jobId);
    error TrainerNotJoined(address trainer);
    error DeadlinePassed(uint64 deadline);
    error WindowNotOpen(uint64 opensAfter);
    error WrongPhase(Phase actual);
    error AlreadyCommitted(address account);
    error BadLength(uint256 actual, uint256 expected);
    error FieldElementOutOfRange(uint256 value);
    error NotCommitteeMember(address account);
    error NotCommitted(address trainer);
    error AlreadyComplained(address node, address trainer);
    error TrainerBanned(address trainer);
    error PartialsMissing(uint256 posted, uint256 needed);
    error ChallengeNotReady();
    error NoVerifier(uint32 bucket);
    error VerifierAlreadySet(uint32 bucket);
    error NothingToAdvance();
    error NotEvaluator(address account);
    error BadShares();
    error NothingToClaim();
    error JobStillActive(uint256 jobId);
    error NotParticipant(address account);
    error TooFewTrainers(uint256 included, uint256 needed);
    error CommitmentMismatch(address trainer);

    event FeeTokenSet(address indexed token, uint256 minimumFee);
    event VerifierSet(uint32 indexed bucket, address verifier);
    event JobCreated(uint256 indexed jobId, address indexed owner, address feeToken, uint256 escrowed, bytes32 modelHash, uint32 bucket);
    event CommitteeDrawn(uint256 indexed jobId, address[] committee);
    event TrainerJoined(uint256 indexed jobId, address indexed trainer, uint256 index);
    event AttemptOpened(
        uint256 indexed jobId, uint16 round, uint16 attempt, bytes32 model, uint64 commitDeadline, uint64 complaintDeadline,
        uint64 partialDeadline, uint64 proofDeadline, uint64 revealDeadline
    );
    event SharesCommitted(
        uint256 indexed jobId, uint16 round, uint16 attempt, address indexed trainer, uint256[] commitments,
        bytes32[] envelopeHashes, string[] envelopeCids
    );
    event ComplaintFiled(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed node, address indexed trainer);
    event TrainerExcluded(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed trainer);
    event IncludedSetFixed(uint256 indexed jobId, uint16 round, uint16 attempt, address[] included);
    event PartialCommitted(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed node, uint256 k, uint256 h);
    event ChallengeRequested(uint256 indexed jobId, uint16 round, uint16 attempt, uint64 blockNumber);
    event ChallengeFixed(uint256 indexed jobId, uint16 round, uint16 attempt, uint256 rho);
    event RoundCertified(uint256 indexed jobId, uint16 round, uint16 attempt, uint256[] fingerprints);
    event PartialRevealed(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed node, string cid);
    event RoundAggregated(uint256 indexed jobId, uint16 round, uint16 attempt, uint8 reveals);
    event FaultProven(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed offender, bytes32 fault);
    event AttemptFailed(uint256 indexed jobId, uint16 round, uint16 attempt, bytes32 reason);
    event RoundPaid(uint256 indexed jobId, uint16 round, bytes32 model, uint32 accuracy, uint256 pool, uint256 paid);
    event RewardCredited(uint256 indexed jobId, uint16 round, address indexed trainer, uint256 amount);
    event JobFinished(uint256 indexed jobId, JobStatus status, uint256 refunded);
    event Claimed(address indexed account, address indexed token, uint256 amount);
    event Released(uint256 indexed jobId, address indexed account);

    constructor(StakingRegistry registry_, RoundCertifier certifier_, address admin) EIP712("zkPFL JobMarket", "1") {
        registry = registry_;
        certifier = certifier_;
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
        _validate(p);

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

    function _validate(JobParams calldata p) private view {
        uint256 minimumFee = feeTokenMinimum[p.feeToken];
        if (minimumFee == 0) revert FeeTokenNotAllowed(p.feeToken);
        if (p.fee < minimumFee) revert FeeBelowMinimum(p.fee, minimumFee);
        if (p.evaluator == address(0)) revert InvalidParameter("evaluator");
        if (p.bucket < 4 || (p.bucket & (p.bucket - 1)) != 0) revert InvalidParameter("bucket");
        if (p.maxRounds == 0) revert InvalidParameter("maxRounds");
        if (p.threshold == 0 || p.committeeSize < p.threshold + 1 || p.committeeSize > MAX_COMMITTEE) {
            revert InvalidParameter("committee");
        }
        if (p.minTrainers == 0 || p.maxTrainers < p.minTrainers || p.maxTrainers > MAX_TRAINERS) {
            revert InvalidParameter("trainers");
        }
        if (p.targetAccuracy > PPM || p.alpha > PPM) revert InvalidParameter("ppm");
        if (
            p.commitWindow == 0 || p.complaintWindow == 0 || p.partialWindow == 0 || p.proofWindow == 0
                || p.revealWindow == 0
        ) revert InvalidParameter("window");
        // n_max * N_max * B * 2^f < (r - 1) / 2, with clipQ16 = B * 2^f
        if (p.maxSamples == 0 || p.clipQ16 == 0) revert InvalidParameter("quantisation");
        if (p.clipQ16 > ((R - 1) / 2 - 1) / (uint256(p.maxTrainers) * p.maxSamples)) revert InvalidParameter("quantisation");
    }

    function _drawCommittee(uint256 jobId, Job storage job) private {
        (address[] memory pool, uint256[] memory weights) = registry.nodePool();
        uint256 m = job.p.committeeSize;
        uint256 total;
        uint256 eligible;
        for (uint256 i = 0; i < pool.length; i++) {
            if (weights[i] != 0) {
                total += weights[i];
                eligible++;
            }
        }
        if (eligible < m) revert NotEnoughNodes(eligible, m);
        bytes32 seed = keccak256(abi.encode(block.prevrandao, blockhash(block.number - 1), address(this), jobId));
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
            address node = pool[i];
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

    /// @notice Step 5: trainer posts its share commitments c_ik (k = 1..m) and envelope hashes/CIDs.
    function commitShares(
        uint256 jobId,
        uint256[] calldata commitments,
        bytes32[] calldata envelopeHashes,
        string[] calldata envelopeCids
    ) external {
        Job storage job = _active(jobId);
        if (trainerIndex[jobId][msg.sender] == 0) revert TrainerNotJoined(msg.sender);
        bytes32 key = _attemptKey(jobId, job.round, job.attempt);
        Attempt storage a = attempts[key];
        if (a.phase != Phase.Collecting) revert WrongPhase(a.phase);
        if (block.timestamp > a.d1) revert DeadlinePassed(a.d1);
        if (bannedInRound[_roundKey(jobId, job.round)][msg.sender]) revert TrainerBanned(msg.sender);
        Slot storage slot = slots[key][msg.sender];
        if (slot.committedAt != 0) revert AlreadyCommitted(msg.sender);
        uint256 m = job.committee.length;
        if (commitments.length != m) revert BadLength(commitments.length, m);
        if (envelopeHashes.length != m) revert BadLength(envelopeHashes.length, m);
        if (envelopeCids.length != m) revert BadLength(envelopeCids.length, m);
        for (uint256 k = 0; k < m; k++) {
            if (commitments[k] == 0 || commitments[k] >= R) revert FieldElementOutOfRange(commitments[k]);
            if (bytes(envelopeCids[k]).length > 128) revert BadLength(bytes(envelopeCids[k]).length, 128);
        }
        slot.committedAt = uint64(block.timestamp);
        shareCommitmentHash[key][msg.sender] = keccak256(abi.encodePacked(commitments));
        a.committed.push(msg.sender);
        a.transcript = keccak256(abi.encode(a.transcript, msg.sender, commitments, envelopeHashes));
        emit SharesCommitted(jobId, job.round, job.attempt, msg.sender, commitments, envelopeHashes, envelopeCids);
    }

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
        Slot storage slot = slots[key][trainer];
        if (slot.committedAt == 0) revert NotCommitted(trainer);
        uint32 bit = uint32(1) << uint32(k - 1);
        if (slot.complaintMask & bit != 0) revert AlreadyComplained(msg.sender, trainer);
        slot.complaintMask |= bit;
        slot.complaints += 1;
        emit ComplaintFiled(jobId, job.round, job.attempt, msg.sender, trainer);
        if (!slot.excluded && uint256(slot.complaints) * 2 > job.committee.length) {
            slot.excluded = true;
            attempts[key].excludedCount += 1;
            emit TrainerExcluded(jobId, job.round, job.attempt, trainer);
        }
    }

    /// @notice Step 6: node k posts the salted commitment h_k of its partial sum.
    function commitPartial(uint256 jobId, uint256 h) external {
        Job storage job = _active(jobId);
        uint256 k = _committeeK(jobId, msg.sender);
        bytes32 key = _attemptKey(jobId, job.round, job.attempt);
        Attempt storage a = attempts[key];
        if (a.phase != Phase.Collecting) revert WrongPhase(a.phase);
        if (block.timestamp <= a.dc) revert WindowNotOpen(a.dc);
        if (block.timestamp > a.d2) revert DeadlinePassed(a.d2);
        if (h == 0 || h >= R) revert FieldElementOutOfRange(h);
        _fixIncluded(jobId, job, a, key);
        uint256 included = _included(a).length;
        if (included < job.p.minTrainers) revert TooFewTrainers(included, job.p.minTrainers);
        if (a.partials[k - 1] != 0) revert AlreadyCommitted(msg.sender);
        a.partials[k - 1] = h;
        a.partialCount += 1;
        a.transcript = keccak256(abi.encode(a.transcript, msg.sender, h));
        emit PartialCommitted(jobId, job.round, job.attempt, msg.sender, k, h);
    }

    /// @notice Step 7a: after D2 with all partials posted, picks the block whose hash seeds rho.
    function requestChallenge(uint256 jobId) external {
        Job storage job = _active(jobId);
        Attempt storage a = attempts[_attemptKey(jobId, job.round, job.attempt)];
        if (a.phase != Phase.Collecting) revert WrongPhase(a.phase);
        if (block.timestamp <= a.d2) revert WindowNotOpen(a.d2);
        if (a.partialCount < job.committee.length) revert PartialsMissing(a.partialCount, job.committee.length);
        a.phase = Phase.ChallengeRequested;
        a.challengeBlock = uint64(block.number);
        emit ChallengeRequested(jobId, job.round, job.attempt, a.challengeBlock);
    }

    /// @notice Step 7b: fixes rho from every commitment of the attempt and the chosen block's hash
    /// (re-targets to the current block when that hash is no longer available).
    function fixChallenge(uint256 jobId) external {
        Job storage job = _active(jobId);
        Attempt storage a = attempts[_attemptKey(jobId, job.round, job.attempt)];
        if (a.phase != Phase.ChallengeRequested) revert WrongPhase(a.phase);
        if (block.number <= a.challengeBlock) revert ChallengeNotReady();
        bytes32 bh = blockhash(a.challengeBlock);
        if (bh == bytes32(0)) {
            a.challengeBlock = uint64(block.number);
            emit ChallengeRequested(jobId, job.round, job.attempt, a.challengeBlock);
            return;
        }
        uint256 rho = uint256(keccak256(abi.encode(a.transcript, bh))) % R;
        if (rho == 0) rho = 1;
        a.rho = rho;
        a.phase = Phase.Challenged;
        emit ChallengeFixed(jobId, job.round, job.attempt, rho);
    }

    /// @notice Step 8: verifies all fingerprints with their proofs in one batch (through the
    /// RoundCertifier) and certifies the round, or slashes the trainer or node whose fault the
    /// valid proofs show and restarts the round as a new attempt.
    /// @param commitments c_ik of each included trainer (order of `included`), k = 1..m, as committed
    /// (checked against the stored hash; from the SharesCommitted events)
    /// @param ys y_ik for each included trainer (same order) and k = 1..m, then Y_1..Y_m
    /// @param proofs 8 words per fingerprint, same order (see IStmtVerifier.verifyBatch)
    function certify(uint256 jobId, uint256[] calldata commitments, uint256[] calldata ys, uint256[] calldata proofs)
        external
        nonReentrant
    {
        Job storage job = _active(jobId);
        bytes32 key = _attemptKey(jobId, job.round, job.attempt);
        Attempt storage a = attempts[key];
        if (a.phase != Phase.Challenged) revert WrongPhase(a.phase);
        if (block.timestamp > a.d3) revert DeadlinePassed(a.d3);
        IStmtVerifier verifier = verifiers[job.p.bucket];
        if (address(verifier) == address(0)) revert NoVerifier(job.p.bucket);
        uint256 m = job.committee.length;
        address[] storage included = _included(a);
        uint256 n = included.length;
        if (commitments.length != n * m) revert BadLength(commitments.length, n * m);
        RoundCertifier.Attempt memory att = RoundCertifier.Attempt(
            jobId, job.round, job.attempt, job.p.threshold, a.rho, new uint256[](n), commitments, a.partials
        );
        for (uint256 j = 0; j < n; j++) {
            address trainer = included[j];
            att.trainerIds[j] = trainerIndex[jobId][trainer];
            if (keccak256(abi.encodePacked(commitments[j * m:(j + 1) * m])) != shareCommitmentHash[key][trainer]) {
                revert CommitmentMismatch(trainer);
            }
        }
        (RoundCertifier.Outcome outcome, uint256 offender) = certifier.check(verifier, att, ys, proofs);
        if (outcome == RoundCertifier.Outcome.InconsistentShares) {
            address trainer = included[offender];
            bannedInRound[_roundKey(jobId, job.round)][trainer] = true;
            _fault(jobId, job, trainer, "inconsistent-shares");
            _failAttempt(jobId, job, a, "inconsistent-shares");
        } else if (outcome == RoundCertifier.Outcome.PartialSumMismatch) {
            _fault(jobId, job, job.committee[offender], "partial-sum-mismatch");
            _failAttempt(jobId, job, a, "partial-sum-mismatch");
        } else if (outcome == RoundCertifier.Outcome.PartialsNotOnPolynomial) {
            _failAttempt(jobId, job, a, "partials-not-on-polynomial");
        } else {
            a.phase = Phase.Certified;
            emit RoundCertified(jobId, job.round, job.attempt, ys);
        }
    }

    /// @notice Step 9: node k announces the IPFS CID of its revealed S_k and s_k.
    function revealPartial(uint256 jobId, string calldata cid) external {
        Job storage job = _active(jobId);
        uint256 k = _committeeK(jobId, msg.sender);
        Attempt storage a = attempts[_attemptKey(jobId, job.round, job.attempt)];
        if (a.phase != Phase.Certified) revert WrongPhase(a.phase);
        if (block.timestamp > a.d4) revert DeadlinePassed(a.d4);
        if (bytes(cid).length == 0 || bytes(cid).length > 128) revert BadLength(bytes(cid).length, 128);
        uint32 bit = uint32(1) << uint32(k - 1);
        if (a.revealedMask & bit != 0) revert AlreadyCommitted(msg.sender);
        a.revealedMask |= bit;
        a.revealCount += 1;
        emit PartialRevealed(jobId, job.round, job.attempt, msg.sender, cid);
        if (a.revealCount == job.committee.length) {
            a.phase = Phase.Revealed;
            emit RoundAggregated(jobId, job.round, job.attempt, a.revealCount);
        }
    }

    /// @notice Moves an attempt past a missed deadline: aborts below n_min, slashes nodes that
    /// missed their partial or reveal, restarts the round as a new attempt, or accepts t reveals.
    function advance(uint256 jobId) external nonReentrant {
        Job storage job = _active(jobId);
        bytes32 key = _attemptKey(jobId, job.round, job.attempt);
        Attempt storage a = attempts[key];
        uint256 m = job.committee.length;
        if (a.phase == Phase.Collecting) {
            if (block.timestamp <= a.dc) revert NothingToAdvance();
            _fixIncluded(jobId, job, a, key);
            if (_included(a).length < job.p.minTrainers) {
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
                if (a.revealedMask & (uint32(1) << uint32(k)) == 0) _fault(jobId, job, job.committee[k], "missed-reveal");
            }
            if (a.revealCount >= job.p.threshold) {
                a.phase = Phase.Revealed;
                emit RoundAggregated(jobId, job.round, job.attempt, a.revealCount);
            } else {
                _failAttempt(jobId, job, a, "too-few-reveals");
            }
        } else {
            revert NothingToAdvance();
        }
    }

    // ---------------------------------------------------------------- rewards

    /// @notice Step 10: the job's evaluator posts the new model's hash, its accuracy (ppm) and each
    /// included trainer's accuracy share (ppm, order of `included`, summing to 1e6). Credits the round's
    /// pool by alpha * time_share + (1 - alpha) * accuracy_share; completes the job at the target
    /// accuracy or after the last round, crediting the rest of the escrow to the owner.
    function postRoundResult(uint256 jobId, bytes32 model, uint32 accuracy, uint32[] calldata accuracyShares)
        external
        nonReentrant
    {
        Job storage job = _active(jobId);
        if (msg.sender != job.p.evaluator) revert NotEvaluator(msg.sender);
        Attempt storage a = attempts[_attemptKey(jobId, job.round, job.attempt)];
        if (a.phase != Phase.Revealed) revert WrongPhase(a.phase);
        address[] storage included = _included(a);
        uint256 n = included.length;
        if (accuracyShares.length != n) revert BadLength(accuracyShares.length, n);
        if (accuracy > PPM) revert InvalidParameter("accuracy");
        uint256 shareSum;
        uint256 timeSum;
        bytes32 key = _attemptKey(jobId, job.round, job.attempt);
        for (uint256 j = 0; j < n; j++) {
            shareSum += accuracyShares[j];
            timeSum += _trainingTime(a, slots[key][included[j]]);
        }
        if (shareSum != PPM) revert BadShares();

        uint256 pool = _remaining(job) / (job.p.maxRounds - job.round);
        uint256 alpha = job.p.alpha;
        address token = job.p.feeToken;
        uint256 credited;
        for (uint256 j = 0; j < n; j++) {
            address trainer = included[j];
            uint256 weight = (alpha * _trainingTime(a, slots[key][trainer]) * PPM) / timeSum + (PPM - alpha) * accuracyShares[j];
            uint256 amount = (pool * weight) / (PPM * PPM);
            if (amount != 0) {
                owed[trainer][token] += amount;
                credited += amount;
                emit RewardCredited(jobId, job.round, trainer, amount);
            }
        }
        job.paid += credited;
        totalOwed[token] += credited;
        a.phase = Phase.Paid;
        job.model = model;
        emit RoundPaid(jobId, job.round, model, accuracy, pool, credited);

        if (accuracy >= job.p.targetAccuracy || job.round + 1 >= job.p.maxRounds) {
            _finish(jobId, job, JobStatus.Completed);
        } else {
            job.round += 1;
            job.attempt = 0;
            _openAttempt(jobId, job);
        }
    }

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
        Attempt storage a = attempts[_attemptKey(jobId, job.round, job.attempt)];
        return AttemptView(
            a.phase, a.openedAt, a.d1, a.dc, a.d2, a.d3, a.d4, a.rho, a.partialCount, a.revealCount
        );
    }

    /// @notice Trainers of the current attempt: those who committed, and the included set once fixed.
    function participantsOf(uint256 jobId) external view returns (address[] memory committed, address[] memory included) {
        Job storage job = jobs[jobId];
        Attempt storage a = attempts[_attemptKey(jobId, job.round, job.attempt)];
        return (a.committed, a.includedFixed ? _included(a) : a.included);
    }

    /// @notice The partial commitments h_k of the current attempt (0 where not posted).
    function partialsOf(uint256 jobId) external view returns (uint256[] memory) {
        Job storage job = jobs[jobId];
        return attempts[_attemptKey(jobId, job.round, job.attempt)].partials;
    }

    /// @notice Escrow not yet paid or refunded: escrowed = paid + refunded + remaining.
    function remaining(uint256 jobId) external view returns (uint256) {
        return _remaining(jobs[jobId]);
    }

    /// @notice keccak256 of the trainer's packed share commitments in the current attempt (0: none).
    function shareCommitmentHashOf(uint256 jobId, address trainer) external view returns (bytes32) {
        Job storage job = jobs[jobId];
        return shareCommitmentHash[_attemptKey(jobId, job.round, job.attempt)][trainer];
    }

    function claimable(address account, address token) external view returns (uint256) {
        return owed[account][token];
    }

    /// @notice The tag of (role, i, k) in the job's current attempt, as the circuit's public input.
    function tagOf(uint256 jobId, uint8 role, uint256 i, uint256 k) public view returns (uint256) {
        Job storage job = jobs[jobId];
        return certifier.tag(address(this), jobId, job.round, job.attempt, role, i, k);
    }

    // ---------------------------------------------------------------- internals

    function _active(uint256 jobId) private view returns (Job storage job) {
        job = jobs[jobId];
        if (job.status != JobStatus.Active) revert JobNotActive(jobId);
    }

    function _committeeK(uint256 jobId, address node) private view returns (uint256 k) {
        k = committeeIndex[jobId][node];
        if (k == 0) revert NotCommitteeMember(node);
    }

    function _remaining(Job storage job) private view returns (uint256) {
        return job.escrowed - job.paid - job.refunded;
    }

    function _attemptKey(uint256 jobId, uint16 round, uint16 attempt) private pure returns (bytes32) {
        return keccak256(abi.encode(jobId, round, attempt));
    }

    function _roundKey(uint256 jobId, uint16 round) private pure returns (bytes32) {
        return keccak256(abi.encode(jobId, round));
    }

    function _trainingTime(Attempt storage a, Slot storage slot) private view returns (uint256) {
        return uint256(slot.committedAt - a.openedAt) + 1;
    }

    function _openAttempt(uint256 jobId, Job storage job) private {
        Attempt storage a = attempts[_attemptKey(jobId, job.round, job.attempt)];
        uint64 now_ = uint64(block.timestamp);
        a.phase = Phase.Collecting;
        a.openedAt = now_;
        a.d1 = now_ + job.p.commitWindow;
        a.dc = a.d1 + job.p.complaintWindow;
        a.d2 = a.dc + job.p.partialWindow;
        a.d3 = a.d2 + job.p.proofWindow;
        a.d4 = a.d3 + job.p.revealWindow;
        a.transcript = keccak256(abi.encode(jobId, job.round, job.attempt, job.model));
        a.partials = new uint256[](job.committee.length);
        emit AttemptOpened(jobId, job.round, job.attempt, job.model, a.d1, a.dc, a.d2, a.d3, a.d4);
    }

    function _fixIncluded(uint256 jobId, Job storage job, Attempt storage a, bytes32 key) private {
        if (a.includedFixed) return;
        a.includedFixed = true;
        if (a.excludedCount != 0) {
            uint256 c = a.committed.length;
            for (uint256 j = 0; j < c; j++) {
                address trainer = a.committed[j];
                if (!slots[key][trainer].excluded) a.included.push(trainer);
            }
        }
        emit IncludedSetFixed(jobId, job.round, job.attempt, _included(a));
    }

    /// @dev The included set: the committed trainers, or a filtered copy when some were excluded.
    function _included(Attempt storage a) private view returns (address[] storage) {
        return a.excludedCount == 0 ? a.committed : a.included;
    }

    function _fault(uint256 jobId, Job storage job, address offender, bytes32 fault) private {
        registry.slash(offender, SLASH_BPS, fault);
        emit FaultProven(jobId, job.round, job.attempt, offender, fault);
    }

    function _failAttempt(uint256 jobId, Job storage job, Attempt storage a, bytes32 reason) private {
        a.phase = Phase.Failed;
        emit AttemptFailed(jobId, job.round, job.attempt, reason);
        if (job.attempt + 1 >= MAX_ATTEMPTS) {
            _finish(jobId, job, JobStatus.Failed);
        } else {
            job.attempt += 1;
            _openAttempt(jobId, job);
        }
    }

    function _finish(uint256 jobId, Job storage job, JobStatus status) private {
        uint256 rest = _remaining(job);
        job.status = status;
        job.refunded += rest;
        address token = job.p.feeToken;
        owed[job.p.owner][token] += rest;
        totalOwed[token] += rest;
        emit JobFinished(jobId, status, rest);
    }
}
