// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {StakingRegistry} from "./StakingRegistry.sol";
import {IKzgVerifier} from "./IKzgVerifier.sol";
import {IDleqVerifier} from "./IDleqVerifier.sol";
import {JobRules} from "./JobRules.sol";
import {JobParams, JobStatus, Phase, BondState} from "./JobTypes.sol";

/// @title Storage, errors, events and shared steps of the zkPFL job market (v2 round, docs/protocol.md).
/// @notice `JobMarket` and `JobRounds` (which the market calls by delegatecall) both derive from this
/// contract, so they share one storage layout; see docs/contracts.md.
abstract contract JobMarketBase is AccessControl, ReentrancyGuardTransient, EIP712 {
    using SafeERC20 for IERC20;

    /// @notice The BN254 scalar field modulus r.
    uint256 public constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @notice The BN254 base field modulus p.
    uint256 internal constant P = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
    uint256 public constant PPM = 1_000_000;
    uint16 public constant MAX_ATTEMPTS = 4;
    uint16 public constant MAX_COMMITTEE = 16;
    uint16 public constant MAX_TRAINERS = 64;
    uint16 public constant SLASH_BPS = 1_000;
    /// @notice Share of each round's pool paid to the nodes that opened, split equally (ppm).
    uint256 public constant NODE_SHARE_PPM = 200_000;

    bytes32 public constant JOB_TYPEHASH = keccak256(
        "JobParams(address owner,address feeToken,uint256 fee,address evaluator,bytes32 modelHash,uint32 bucket,"
        "uint16 maxRounds,uint16 committeeSize,uint16 threshold,uint16 minTrainers,uint16 maxTrainers,uint32 maxSamples,"
        "uint256 clipQ16,uint32 targetAccuracy,uint32 alpha,uint32 commitWindow,uint32 complaintWindow,uint32 partialWindow,"
        "uint32 proofWindow,uint32 revealWindow,uint256 nonce,uint256 deadline,bytes32 validationCommitment,"
        "bytes32 evaluatorVersion,uint256 evaluatorBond,uint16 groups)"
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

    /// @dev The commitments themselves live only in calldata and events: the attempt keeps the running sums
    /// P_l = sum of the included trainers' C_il (x, y words, l < t) and a hash per trainer (`trainerHash`).
    /// `entries` packs (i << 32 | n_i) in commit order.
    /// @dev Slot 0 holds everything `commitRound` writes or checks (phase, count, mask, D1, and copies of t, N_max
    /// and the number of joined trainers), so a commit reads no job parameter and touches one header slot; slot 1
    /// the later deadlines, exclusions and the sum of n_i; slot 2 the round's pool and the opening time.
    /// @dev One Attempt per job, reused by each of its attempts (docs/adr/0113-round-storage.md): an attempt
    /// overwrites the slots the previous one wrote, which costs 2.9k gas a word instead of the 22.1k of a first
    /// write. `_openAttempt` resets the header; the first commit sets the sums instead of adding to them;
    /// entries and sums beyond `committedCount` are stale and never read.
    struct Attempt {
        Phase phase;
        uint8 committedCount;
        uint8 openedCount;
        uint8 revealCount;
        bool includedFixed;
        uint16 openedMask;
        uint16 revealedMask;
        uint64 committedMask; // bit i - 1: trainer i committed
        uint40 d1;
        uint8 threshold; // JobParams.threshold
        uint32 maxSamples; // JobParams.maxSamples
        uint8 trainerCount; // trainers joined so far (join keeps it current)
        uint40 d2;
        uint40 d3;
        uint40 d4;
        uint64 excludedMask; // bit i - 1: trainer i excluded by a committee majority
        uint64 sampleSum; // sum of the included trainers' declared n_i
        uint128 pool;
        uint40 openedAt;
        uint256[32] sums;
        uint64[64] entries;
    }

    StakingRegistry public immutable registry;
    /// @notice Parameter checks, committee draw and reward split (deployed by the market's constructor).
    JobRules public immutable rules;

    uint256 public jobCount;
    /// @notice The batched KZG verifier of the platform's SRS (set once by the admin).
    IKzgVerifier public kzgVerifier;
    /// @notice The DLEQ verifier of share complaints (set once by the admin).
    IDleqVerifier public dleqVerifier;
    mapping(uint256 => Job) internal jobs;
    mapping(uint256 => mapping(address => uint256)) internal trainerIndex; // 1-based i
    mapping(uint256 => mapping(address => uint256)) internal committeeIndex; // 1-based k
    mapping(uint256 => mapping(address => bool)) internal released;
    mapping(uint256 => Attempt) internal attempts; // job => its current attempt (storage reused, see Attempt)
    mapping(uint256 => mapping(uint256 => bytes32)) internal trainerHash; // job => i => keccak(points, manifest, n_i) of the current attempt
    mapping(bytes32 => mapping(uint256 => uint32)) internal votes; // attempt => trainer i => node bits
    /// @dev A verifiable complaint about trainer i's share for node k: votes of the other nodes as bit masks.
    struct Complaint {
        uint8 k;
        bool resolved;
        uint32 upheld;
        uint32 rejected;
    }

    mapping(bytes32 => mapping(uint256 => Complaint)) internal complaints; // attempt => trainer i
    mapping(uint256 => mapping(uint256 => uint256)) internal roundKeys; // job => k => PK_k (_packPoint) of the round in keyRounds
    /// @dev job => 16 lanes of 16 bits, lane k - 1 holding round + 1 of the round node k's key in roundKeys is for
    /// (0: none posted), so that a round's key overwrites the last one's slots.
    mapping(uint256 => uint256) internal keyRounds;
    /// @dev job => round / 4 => 4 lanes of 64 bits, lane round % 4 the included trainers (bit i - 1) of the paid
    /// attempt of that round (0: the round was not paid); the bond's dispute reads it after the job ended.
    mapping(uint256 => mapping(uint256 => uint256)) internal paidMasks;
    mapping(address => mapping(uint256 => bool)) internal usedNonces;
    mapping(address => mapping(address => uint256)) internal owed; // account => token => amount
    mapping(address => uint256) public totalOwed; // token => amount
    mapping(address => uint256) public feeTokenMinimum; // 0: not allow-listed

    // ---------------------------------------------------------------- creation fee and evaluator bond
    // (docs/contracts.md "Accountable evaluation"; docs/adr/0100, 0101)

    /// @notice Upper bounds of the admin's economics parameters.
    uint32 public constant MAX_CREATION_FEE_PPM = 100_000;
    uint32 public constant MAX_EVALUATION_WINDOW = 30 days;
    /// @notice Receives the creation fees (credited, claimed like any reward) and bonds nobody else is owed.
    address public treasury;
    /// @notice Part of each job's fee (ppm) credited to the treasury at creation and never refunded.
    uint32 public creationFeePpm;
    /// @notice Minimum evaluator bond (ppm of the fee) of an owner that evaluates itself or commits to its own set.
    uint32 public minOwnerBondPpm;
    /// @notice After a job ends: how long its owner may disclose its validation set, then how long nodes may dispute.
    uint32 public disclosureWindow;
    uint32 public disputeWindow;

    /// @dev Slot 0 is written at creation, slot 1 when the job ends and when the bond is settled.
    struct Evaluation {
        uint128 bond;
        uint128 creationFee;
        uint40 disclosureDeadline;
        uint40 disputeDeadline;
        bool disclosed;
        BondState bondState;
    }

    mapping(uint256 => Evaluation) internal evaluations;
    mapping(uint256 => mapping(uint256 => uint32)) internal disputeVotes; // job => round => node bits

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
    error NotCommitteeMember(address account);
    error NotCommitted(address trainer);
    error AlreadyVoted(address node, address trainer);
    error NothingToAdvance();
    error NotEvaluator(address account);
    error BadShares();
    error NothingToClaim();
    error JobStillActive(uint256 jobId);
    error NotParticipant(address account);
    error TooFewTrainers(uint256 included, uint256 needed);
    error PointNotOnCurve(uint256 index);
    error SamplesOutOfRange(uint256 declared, uint256 maximum);
    error CommitmentMismatch(address trainer);
    error NoKzgVerifier();
    error KzgVerifierAlreadySet();
    error WrongOpeningPoint(uint256 k, uint256 z, uint256 expected);
    error InvalidOpening(uint256 k);
    error AlreadyOpened(uint256 k);
    error NotCertified(uint256 opened, uint256 needed);
    error TooFewReveals(uint256 revealed, uint256 needed);
    error NotOwner(address account);
    error NoDleqVerifier();
    error DleqVerifierAlreadySet();
    error NoRoundKey(uint256 k);
    error InvalidDleqProof(uint256 k);
    error AlreadyComplained(address node, address trainer);
    error NoComplaint(address trainer);
    error JobNotEnded(uint256 jobId);
    error NothingToDisclose(uint256 jobId);
    error AlreadyDisclosed(uint256 jobId);
    error NotDisclosed(uint256 jobId);
    error ValidationMismatch(uint256 jobId);
    error NoBond(uint256 jobId);
    error BondSettled(uint256 jobId, BondState state);
    error RoundNotPaid(uint256 round);
    error AlreadyDisputed(address node, uint256 round);
    error WrongGroupCount(uint256 actual, uint256 expected);
    error GroupAccuracyOutOfRange(uint256 index, uint256 ppm);

    event FeeTokenSet(address indexed token, uint256 minimumFee);
    event KzgVerifierSet(address verifier, bytes32 srsHash);
    event JobCreated(uint256 indexed jobId, address indexed owner, address feeToken, uint256 escrowed, bytes32 modelHash, uint32 bucket);
    event CommitteeDrawn(uint256 indexed jobId, address[] committee);
    event TrainerJoined(uint256 indexed jobId, address indexed trainer, uint256 index);
    event AttemptOpened(
        uint256 indexed jobId, uint16 round, uint16 attempt, bytes32 model, uint64 commitDeadline, uint64 complaintDeadline,
        uint64 openingDeadline, uint64 revealDeadline
    );
    /// @notice Every joined trainer committed before D1: D1 moved to that moment and D2..D4 by as much.
    event CommitsClosed(
        uint256 indexed jobId, uint16 round, uint16 attempt, uint64 commitDeadline, uint64 complaintDeadline,
        uint64 openingDeadline, uint64 revealDeadline
    );
    event RoundCommitted(
        uint256 indexed jobId, uint16 round, uint16 attempt, address indexed trainer, uint256 index, uint256[] points,
        bytes32 manifest, uint32 samples
    );
    event DleqVerifierSet(address verifier);
    event RoundKeyPosted(uint256 indexed jobId, uint16 round, address indexed node, uint256 k, uint256 x, uint256 y);
    event ShareComplaint(
        uint256 indexed jobId, uint16 round, uint16 attempt, address indexed node, address indexed trainer,
        uint256[2] ephemeral, uint256[2] shared
    );
    event ComplaintVoted(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed node, address indexed trainer, bool upheld);
    event ComplaintResolved(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed trainer, bool upheld);
    event ExclusionVoted(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed node, address indexed trainer);
    event TrainerExcluded(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed trainer);
    event IncludedSetFixed(uint256 indexed jobId, uint16 round, uint16 attempt, address[] included, uint64 sampleSum);
    event OpeningVerified(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed node, uint256 k, uint256 z, uint256 y);
    event RoundCertified(uint256 indexed jobId, uint16 round, uint16 attempt);
    event PartialRevealed(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed node, bytes cid);
    event RoundAggregated(uint256 indexed jobId, uint16 round, uint16 attempt, uint256 resultX, uint256 resultY, uint64 sampleSum, bytes32 model);
    /// C_A's opening verified by openResult: aggregateHash = keccak256(A || b_A), z the point bound to it, y = A(z).
    event ResultOpened(uint256 indexed jobId, uint16 round, uint16 attempt, bytes32 aggregateHash, uint256 z, uint256 y);
    event RoundSkipped(uint256 indexed jobId, uint16 round, uint16 attempt, uint8 reveals);
    event FaultProven(uint256 indexed jobId, uint16 round, uint16 attempt, address indexed offender, bytes32 fault);
    event AttemptFailed(uint256 indexed jobId, uint16 round, uint16 attempt, bytes32 reason);
    event RoundPaid(uint256 indexed jobId, uint16 round, bytes32 model, uint32 accuracy, uint256 pool, uint256 paid);
    event RewardCredited(uint256 indexed jobId, uint16 round, address indexed account, uint256 amount);
    event EvaluatorTimedOut(uint256 indexed jobId, uint16 round, uint64 resultDeadline);
    event JobFinished(uint256 indexed jobId, JobStatus status, uint256 refunded);
    event Claimed(address indexed account, address indexed token, uint256 amount);
    event Released(uint256 indexed jobId, address indexed account);
    event EconomicsSet(address treasury, uint32 creationFeePpm, uint32 minOwnerBondPpm, uint32 disclosureWindow, uint32 disputeWindow);
    event CreationFeeCharged(uint256 indexed jobId, address indexed treasury, uint256 amount);
    event BondEscrowed(uint256 indexed jobId, address indexed owner, uint256 amount);
    event ValidationDisclosed(uint256 indexed jobId, bytes32 bundleHash, bytes32 contentKey, bytes cid);
    event DisputeVoted(uint256 indexed jobId, uint16 round, address indexed node);
    event EvaluationDisputed(uint256 indexed jobId, uint16 round, uint256 votes);
    event BondSlashed(uint256 indexed jobId, bytes32 reason, uint256 amount, address[] recipients);
    event BondReleased(uint256 indexed jobId, address indexed owner, uint256 amount);
    event GroupAccuracies(uint256 indexed jobId, uint16 round, uint32[] ppm);

    constructor(StakingRegistry registry_, JobRules rules_) EIP712("zkPFL JobMarket", "1") {
        registry = registry_;
        rules = rules_;
    }

    // ---------------------------------------------------------------- internals

    function _active(uint256 jobId) internal view returns (Job storage job) {
        job = jobs[jobId];
        if (job.status != JobStatus.Active) revert JobNotActive(jobId);
    }

    function _current(uint256 jobId, Job storage) internal view returns (Attempt storage) {
        return attempts[jobId];
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

    function _resultDeadline(Job storage job, Attempt storage a) internal view returns (uint64) {
        return uint64(a.d4) + job.p.proofWindow;
    }

    function _openAttempt(uint256 jobId, Job storage job) internal {
        Attempt storage a = _current(jobId, job);
        uint40 now_ = uint40(block.timestamp);
        uint40 d1 = now_ + job.p.commitWindow;
        uint40 d2 = d1 + job.p.complaintWindow;
        uint40 d3 = d2 + job.p.partialWindow;
        uint40 d4 = d3 + job.p.revealWindow;
        // both header slots in full: the previous attempt's counters, masks and sums of n_i are reset
        (a.phase, a.committedCount, a.openedCount, a.revealCount, a.includedFixed, a.openedMask, a.revealedMask) =
            (Phase.Committing, 0, 0, 0, false, 0, 0);
        (a.committedMask, a.d1, a.threshold, a.maxSamples, a.trainerCount) =
            (0, d1, uint8(job.p.threshold), job.p.maxSamples, uint8(job.trainers.length));
        (a.d2, a.d3, a.d4, a.excludedMask, a.sampleSum) = (d2, d3, d4, 0, 0);
        a.openedAt = now_;
        emit AttemptOpened(jobId, job.round, job.attempt, job.model, d1, d2, d3, d4);
    }

    /// @dev Every joined trainer has committed: nobody is left to wait for, so D1 becomes now and the later
    /// deadlines move with it (their windows keep their lengths).
    function _closeCommits(uint256 jobId, Job storage job, Attempt storage a) internal {
        uint40 early = a.d1 - uint40(block.timestamp);
        (a.d1, a.d2, a.d3, a.d4) = (a.d1 - early, a.d2 - early, a.d3 - early, a.d4 - early);
        emit CommitsClosed(jobId, job.round, job.attempt, a.d1, a.d2, a.d3, a.d4);
    }

    /// @dev After D2: fixes I (committed, not excluded) and the sum of its declared n_i.
    function _fixIncluded(uint256 jobId, Job storage job, Attempt storage a) internal {
        if (a.includedFixed) return;
        a.includedFixed = true;
        uint256 c = a.committedCount;
        address[] memory included = new address[](c);
        uint256 w;
        uint64 samples;
        for (uint256 j = 0; j < c; j++) {
            uint256 e = a.entries[j];
            uint256 i = e >> 32;
            if ((a.excludedMask >> (i - 1)) & 1 == 0) {
                included[w++] = job.trainers[i - 1];
                samples += uint64(e & 0xFFFFFFFF);
            }
        }
        assembly ("memory-safe") {
            mstore(included, w)
        }
        a.sampleSum = samples;
        emit IncludedSetFixed(jobId, job.round, job.attempt, included, samples);
    }

    function _includedCount(Attempt storage a) internal view returns (uint256 n) {
        for (uint64 bits = a.committedMask & ~a.excludedMask; bits != 0; bits &= bits - 1) n++;
    }

    /// @dev C_k = sum_l k^l P_l by Horner's rule on the precompiles.
    function _nodeCommitment(uint256[] memory sums, uint256 k) internal view returns (uint256 x, uint256 y) {
        uint256 t = sums.length / 2;
        (x, y) = (sums[2 * (t - 1)], sums[2 * (t - 1) + 1]);
        for (uint256 l = t - 1; l > 0; l--) {
            (x, y) = _ecMul(x, y, k);
            (x, y) = _ecAdd(x, y, sums[2 * (l - 1)], sums[2 * (l - 1) + 1], 0);
        }
    }

    /// @dev P_0..P_{t-1} as x, y words (decompressed once for every C_k a call derives).
    function _sums(Attempt storage a, uint256 t) internal view returns (uint256[] memory words) {
        words = new uint256[](2 * t);
        for (uint256 l = 0; l < t; l++) (words[2 * l], words[2 * l + 1]) = _sum(a, l);
    }

    /// @dev A G1 point in one storage word (running sums, round keys): x, bit 254 set for any point but the
    /// identity (stored as 0), bit 255 the parity of y. Halves the words a commit reads and writes; y comes back as
    /// the square root of x^3 + 3 (p = 3 mod 4, one modexp) of that parity. Only points the ecAdd precompile
    /// accepted or returned are stored, so every stored x has a root.
    uint256 private constant POINT_SET = 1 << 254;
    uint256 private constant Y_ODD = 1 << 255;

    function _sum(Attempt storage a, uint256 l) internal view returns (uint256 x, uint256 y) {
        return _unpackPoint(a.sums[l], l);
    }

    function _setSum(Attempt storage a, uint256 l, uint256 x, uint256 y) internal {
        a.sums[l] = _packPoint(x, y);
    }

    function _packPoint(uint256 x, uint256 y) internal pure returns (uint256) {
        return x == 0 && y == 0 ? 0 : x | POINT_SET | (y & 1 == 1 ? Y_ODD : 0);
    }

    /// @dev The point _packPoint stored in `w`; reverts PointNotOnCurve(index) if the modexp precompile fails.
    function _unpackPoint(uint256 w, uint256 l) internal view returns (uint256 x, uint256 y) {
        if (w == 0) return (0, 0);
        x = w & (POINT_SET - 1);
        uint256 rhs = addmod(mulmod(mulmod(x, x, P), x, P), 3, P);
        uint256 root = (P + 1) / 4;
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, 0x20)
            mstore(add(m, 0x20), 0x20)
            mstore(add(m, 0x40), 0x20)
            mstore(add(m, 0x60), rhs)
            mstore(add(m, 0x80), root)
            mstore(add(m, 0xa0), 21888242871839275222246405745257275088696311157297823662689037894645226208583)
            ok := staticcall(gas(), 0x05, m, 0xc0, m, 0x20)
            y := mload(m)
        }
        if (!ok) revert PointNotOnCurve(l);
        if ((y & 1 == 1) != (w & Y_ODD != 0)) y = P - y;
    }

    /// @notice z_k = keccak(chain id, market, job, round, attempt, k, C_k) mod r (docs/protocol.md, step 7).
    function _openingPoint(uint256 jobId, Job storage job, uint256 k, uint256 cx, uint256 cy) internal view returns (uint256) {
        return uint256(keccak256(abi.encode(block.chainid, address(this), jobId, job.round, job.attempt, k, cx, cy))) % R;
    }

    /// @dev (ax, ay) + (bx, by) on G1; reverts PointNotOnCurve(index) when the precompile refuses either point.
    function _ecAdd(uint256 ax, uint256 ay, uint256 bx, uint256 by, uint256 index) internal view returns (uint256 x, uint256 y) {
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, ax)
            mstore(add(m, 0x20), ay)
            mstore(add(m, 0x40), bx)
            mstore(add(m, 0x60), by)
            ok := staticcall(gas(), 0x06, m, 0x80, m, 0x40)
            x := mload(m)
            y := mload(add(m, 0x20))
        }
        if (!ok) revert PointNotOnCurve(index);
    }

    function _ecMul(uint256 px, uint256 py, uint256 s) internal view returns (uint256 x, uint256 y) {
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, px)
            mstore(add(m, 0x20), py)
            mstore(add(m, 0x40), s)
            ok := staticcall(gas(), 0x07, m, 0x60, m, 0x40)
            x := mload(m)
            y := mload(add(m, 0x20))
        }
        if (!ok) revert PointNotOnCurve(0);
    }

    /// @dev Excludes trainer i: its points, resupplied, must match its hash; they leave every running sum.
    function _exclude(uint256 jobId, Job storage job, uint256 i, uint256[] calldata points, bytes32 manifest, uint32 samples)
        internal
    {
        Attempt storage a = attempts[jobId];
        address trainer = job.trainers[i - 1];
        if (keccak256(abi.encode(points, manifest, samples)) != trainerHash[jobId][i]) revert CommitmentMismatch(trainer);
        uint256 t = job.p.threshold;
        for (uint256 l = 0; l < t; l++) {
            uint256 y = points[2 * l + 1];
            (uint256 sx, uint256 sy) = _sum(a, l);
            (sx, sy) = _ecAdd(sx, sy, points[2 * l], y == 0 ? 0 : P - y, l);
            _setSum(a, l, sx, sy);
        }
        a.excludedMask |= uint64(1 << (i - 1));
        emit TrainerExcluded(jobId, job.round, job.attempt, trainer);
    }

    /// @dev Node k's key for `round` (once per round): it overwrites the node's key of an earlier round, whose
    /// complaints are over (a key for round r + 1 comes with a reveal, after round r certified).
    function _postKey(uint256 jobId, uint16 round, uint256 k, address node, uint256 x, uint256 y) internal {
        uint256 lanes = keyRounds[jobId];
        uint256 shift = 16 * (k - 1);
        if ((lanes >> shift) & 0xFFFF == uint256(round) + 1) revert AlreadyCommitted(node);
        if (x == 0 && y == 0) revert PointNotOnCurve(0);
        _ecAdd(x, y, 0, 0, 0);
        keyRounds[jobId] = (lanes & ~(uint256(0xFFFF) << shift)) | ((uint256(round) + 1) << shift);
        roundKeys[jobId][k] = _packPoint(x, y);
        emit RoundKeyPosted(jobId, round, node, k, x, y);
    }

    /// @dev Step 8 for node k (address `node`): certified attempts, until D4, once per node.
    function _reveal(uint256 jobId, Job storage job, uint256 k, address node, bytes calldata cid) internal {
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Certified) revert WrongPhase(a.phase);
        if (block.timestamp > a.d4) revert DeadlinePassed(a.d4);
        if (cid.length == 0 || cid.length > 64) revert BadLength(cid.length, 64);
        uint16 bit = uint16(1) << uint16(k - 1);
        if (a.revealedMask & bit != 0) revert AlreadyCommitted(node);
        a.revealedMask |= bit;
        a.revealCount += 1;
        emit PartialRevealed(jobId, job.round, job.attempt, node, cid);
    }

    function _fault(uint256 jobId, Job storage job, address offender, bytes32 fault) internal {
        registry.slash(offender, SLASH_BPS, fault);
        emit FaultProven(jobId, job.round, job.attempt, offender, fault);
    }

    /// @dev Slashes every committee node without a verified opening in `a`.
    function _slashNonOpeners(uint256 jobId, Job storage job, Attempt storage a) internal {
        uint256 m = job.committee.length;
        for (uint256 k = 0; k < m; k++) {
            if (a.openedMask & (uint16(1) << uint16(k)) == 0) _fault(jobId, job, job.committee[k], "missed-opening");
        }
    }

    /// @dev Before certification: restarts the round as a new attempt (or ends the job after MAX_ATTEMPTS).
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

    /// @dev Opens the next round from the current model, or completes the job after its last round.
    function _nextRound(uint256 jobId, Job storage job, JobStatus last) internal {
        if (job.round + 1 >= job.p.maxRounds) {
            _finish(jobId, job, last);
        } else {
            job.round += 1;
            job.attempt = 0;
            _openAttempt(jobId, job);
        }
    }

    function _credit(uint256 jobId, Job storage job, address who, uint256 amount) internal {
        if (amount == 0) return;
        owed[who][job.p.feeToken] += amount;
        job.paid += amount;
        totalOwed[job.p.feeToken] += amount;
        emit RewardCredited(jobId, job.round, who, amount);
    }

    function _finish(uint256 jobId, Job storage job, JobStatus status) internal {
        uint256 rest = _remaining(job);
        job.status = status;
        job.refunded += rest;
        address token = job.p.feeToken;
        owed[job.p.owner][token] += rest;
        totalOwed[token] += rest;
        emit JobFinished(jobId, status, rest);
        // the owner's disclosure window, then the committee's dispute window, run from now
        Evaluation storage ev = evaluations[jobId];
        if (ev.bond != 0 || job.p.validationCommitment != bytes32(0)) {
            uint40 disclosureEnd = uint40(block.timestamp) + disclosureWindow;
            (ev.disclosureDeadline, ev.disputeDeadline) = (disclosureEnd, disclosureEnd + disputeWindow);
        }
    }
}
