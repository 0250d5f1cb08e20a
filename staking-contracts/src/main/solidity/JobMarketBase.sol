// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {StakingRegistry} from "./StakingRegistry.sol";
import {IStmtVerifier} from "./IStmtVerifier.sol";
import {IBatchVerifier} from "./IBatchVerifier.sol";
import {RoundCertifier} from "./RoundCertifier.sol";
import {JobRules} from "./JobRules.sol";
import {JobParams, JobStatus, Phase} from "./JobTypes.sol";

/// @title Storage, errors, events and shared steps of the zkPFL job market.
/// @notice `JobMarket` and `JobRounds` (which the market calls by delegatecall) both derive from this
/// contract, so they share one storage layout; see docs/contracts.md.
abstract contract JobMarketBase is AccessControl, ReentrancyGuard, EIP712 {
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
        uint64 bannedMask; // trainers (bit i - 1) banned for the rest of the round
        bytes32 model;
        uint256 escrowed;
        uint256 paid;
        uint256 refunded;
        address[] committee;
        address[] trainers;
    }

    /// @dev Two header slots; the share commitments themselves live only in calldata and events:
    /// `sharesChain` is a running hash over (i, c_i1..c_im, manifest_i) in commit order that certify
    /// re-computes from re-supplied commitments, and `entries` packs (i << 40 | commit time) in commit order.
    struct Attempt {
        Phase phase;
        uint8 partialCount;
        uint40 openedAt;
        uint40 d1;
        uint40 dc;
        uint40 d2;
        uint40 d3;
        uint40 d4;
        uint8 revealCount;
        uint8 committedCount;
        bool includedFixed;
        uint16 revealedMask;
        uint64 challengeBlock;
        uint64 committedMask; // bit i - 1: trainer i committed
        uint64 excludedMask; // bit i - 1: trainer i excluded by a committee majority
        bytes32 sharesChain;
        uint256 rho;
        uint256[16] partials;
        uint64[64] entries;
    }

    StakingRegistry public immutable registry;
    RoundCertifier public immutable certifier;
    /// @notice Parameter checks, committee draw and reward split (deployed by the market's constructor).
    JobRules public immutable rules;

    uint256 public jobCount;
    mapping(uint256 => Job) internal jobs;
    mapping(uint256 => mapping(address => uint256)) internal trainerIndex; // 1-based i
    mapping(uint256 => mapping(address => uint256)) internal committeeIndex; // 1-based k
    mapping(uint256 => mapping(address => bool)) internal released;
    mapping(bytes32 => Attempt) internal attempts;
    mapping(bytes32 => mapping(uint256 => uint32)) internal complaints; // attempt => trainer i => node bits
    mapping(address => mapping(uint256 => bool)) internal usedNonces;
    mapping(address => mapping(address => uint256)) internal owed; // account => token => amount
    mapping(address => uint256) public totalOwed; // token => amount
    mapping(address => uint256) public feeTokenMinimum; // 0: not allow-listed
    mapping(uint32 => IStmtVerifier) public verifiers;
    mapping(uint32 => mapping(uint16 => IBatchVerifier)) public sharesVerifiers; // bucket => m

    error FeeBelowMinimum(uint256 fee, uint256 minimum);
    error InvalidParameter(string field);
    error SignatureExpired(uint256 deadline);
    error InvalidSignature();
    error NonceAlreadyUsed(address owner, uint256 nonce);
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

    event FeeTokenSet(address indexed token, uint256 minimumFee);
    event VerifierSet(uint32 indexed bucket, address verifier);
    event SharesVerifierSet(uint32 indexed bucket, uint16 m, address verifier);
    event JobCreated(uint256 indexed jobId, address indexed owner, address feeToken, uint256 escrowed, bytes32 modelHash, uint32 bucket);
    event CommitteeDrawn(uint256 indexed jobId, address[] committee);
    event TrainerJoined(uint256 indexed jobId, address indexed trainer, uint256 index);
    event AttemptOpened(
        uint256 indexed jobId, uint16 round, uint16 attempt, bytes32 model, uint64 commitDeadline, uint64 complaintDeadline,
        uint64 partialDeadline, uint64 proofDeadline, uint64 revealDeadline
    );
    event SharesCommitted(
        uint256 indexed jobId, uint16 round, uint16 attempt, address indexed trainer, uint256 index, uint256[] commitments,
        bytes32 manifest
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
    event EvaluatorTimedOut(uint256 indexed jobId, uint16 round, uint64 resultDeadline);
    event JobFinished(uint256 indexed jobId, JobStatus status, uint256 refunded);
    event Claimed(address indexed account, address indexed token, uint256 amount);
    event Released(uint256 indexed jobId, address indexed account);

    constructor(StakingRegistry registry_, RoundCertifier certifier_, JobRules rules_) EIP712("zkPFL JobMarket", "1") {
        registry = registry_;
        certifier = certifier_;
        rules = rules_;
    }

    // ---------------------------------------------------------------- internals

    function _active(uint256 jobId) internal view returns (Job storage job) {
        job = jobs[jobId];
        if (job.status != JobStatus.Active) revert JobNotActive(jobId);
    }

    function _current(uint256 jobId, Job storage job) internal view returns (Attempt storage) {
        return attempts[_attemptKey(jobId, job.round, job.attempt)];
    }

    function _committeeK(uint256 jobId, address node) internal view returns (uint256 k) {
        k = committeeIndex[jobId][node];
        if (k == 0) revert NotCommitteeMember(node);
    }

    function _remaining(Job storage job) internal view returns (uint256) {
        return job.escrowed - job.paid - job.refunded;
    }

    function _attemptKey(uint256 jobId, uint16 round, uint16 attempt) internal pure returns (bytes32) {
        return keccak256(abi.encode(jobId, round, attempt));
    }

    function _chainStart(uint256 jobId, Job storage job) internal view returns (bytes32) {
        return keccak256(abi.encode(jobId, job.round, job.attempt, job.model));
    }

    function _resultDeadline(Job storage job, Attempt storage a) internal view returns (uint64) {
        return uint64(a.d4) + job.p.commitWindow;
    }

    function _partials(Attempt storage a, uint256 m) internal view returns (uint256[] memory hs) {
        hs = new uint256[](m);
        for (uint256 k = 0; k < m; k++) {
            hs[k] = a.partials[k];
        }
    }

    function _includedCount(Attempt storage a) internal view returns (uint256 n) {
        for (uint64 bits = a.committedMask & ~a.excludedMask; bits != 0; bits &= bits - 1) n++;
    }

    function _openAttempt(uint256 jobId, Job storage job) internal {
        Attempt storage a = _current(jobId, job);
        uint40 now_ = uint40(block.timestamp);
        uint40 d1 = now_ + job.p.commitWindow;
        uint40 dc = d1 + job.p.complaintWindow;
        uint40 d2 = dc + job.p.partialWindow;
        uint40 d3 = d2 + job.p.proofWindow;
        uint40 d4 = d3 + job.p.revealWindow;
        (a.phase, a.openedAt, a.d1, a.dc, a.d2, a.d3, a.d4) = (Phase.Collecting, now_, d1, dc, d2, d3, d4);
        a.sharesChain = _chainStart(jobId, job);
        emit AttemptOpened(jobId, job.round, job.attempt, job.model, d1, dc, d2, d3, d4);
    }

    function _fixIncluded(uint256 jobId, Job storage job, Attempt storage a) internal {
        if (a.includedFixed) return;
        a.includedFixed = true;
        uint256 c = a.committedCount;
        address[] memory included = new address[](_includedCount(a));
        uint256 w;
        for (uint256 j = 0; j < c; j++) {
            uint256 i = a.entries[j] >> 40;
            if ((a.excludedMask >> (i - 1)) & 1 == 0) included[w++] = job.trainers[i - 1];
        }
        emit IncludedSetFixed(jobId, job.round, job.attempt, included);
    }

    function _fault(uint256 jobId, Job storage job, address offender, bytes32 fault) internal {
        registry.slash(offender, SLASH_BPS, fault);
        emit FaultProven(jobId, job.round, job.attempt, offender, fault);
    }

    function _failAttempt(uint256 jobId, Job storage job, Attempt storage a, bytes32 reason) internal {
        a.phase = Phase.Failed;
        emit AttemptFailed(jobId, job.round, job.attempt, reason);
        if (job.attempt + 1 >= MAX_ATTEMPTS) {
            _finish(jobId, job, JobStatus.Failed);
        } else {
            job.attempt += 1;
            _openAttempt(jobId, job);
        }
    }

    function _finish(uint256 jobId, Job storage job, JobStatus status) internal {
        uint256 rest = _remaining(job);
        job.status = status;
        job.refunded += rest;
        address token = job.p.feeToken;
        owed[job.p.owner][token] += rest;
        totalOwed[token] += rest;
        emit JobFinished(jobId, status, rest);
    }
}
