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
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IKzgVerifier} from "./IKzgVerifier.sol";
import {IDleqVerifier} from "./IDleqVerifier.sol";
import {JobRules} from "./JobRules.sol";
import {JobParams, FeePermit, JobStatus, Phase, AttemptView, EvaluationView, BondState} from "./JobTypes.sol";
import {JobMarketBase} from "./JobMarketBase.sol";
import {JobRounds} from "./JobRounds.sol";

/// @title Job escrow, committee draw, the round/attempt state machine and rewards of zkPFL.
/// @notice See docs/contracts.md and docs/protocol.md (v2 round). Deadlines are block times; every step emits an
/// event. Exclusion votes, deadline handling, the result opening and round results run in `JobRounds` by
/// delegatecall on this contract's storage (EIP-170 headroom).
contract JobMarket is JobMarketBase {
    using SafeERC20 for IERC20;

    /// @notice The contract whose voteExclusion, advance, openResult and postRoundResult run on this market's storage.
    address public immutable rounds;
    /// @notice The block whose hash seeds a job's committee draw (its creation block, later when deferred).
    mapping(uint256 => uint256) public drawBlock;
    /// @notice keccak256(abi.encode(pool, weights)) of the node pool and its stake weights at the job's creation.
    mapping(uint256 => bytes32) public drawPool;

    error CommitteeAlreadyDrawn(uint256 jobId);
    error NotThePoolAtCreation(uint256 jobId);
    error DrawNotReady(uint256 jobId, uint256 fromBlock);

    event DrawPending(uint256 indexed jobId, uint256 drawBlock, address[] pool, uint256[] weights);
    event DrawDeferred(uint256 indexed jobId, uint256 drawBlock);

    /// @notice Before D2, an exclusion vote or a share complaint about `trainer` is on record (or it is excluded): the
    /// attempt cannot be certified early and its complaint window runs to D2 (docs/adr/0110-early-certification.md).
    error DisputePending(address trainer);

    /// @notice Every committee node's opening arrived in one batch before D2 with no complaint, exclusion vote or
    /// exclusion on record: the complaint window closed at this block (D2 = now) and D3, D4 moved earlier by as much
    /// (docs/adr/0110-early-certification.md).
    event ComplaintsClosed(
        uint256 indexed jobId, uint16 round, uint16 attempt, uint64 complaintDeadline, uint64 openingDeadline,
        uint64 revealDeadline
    );

    constructor(StakingRegistry registry_, address admin) JobMarketBase(registry_, new JobRules()) {
        rounds = address(new JobRounds(registry_, rules));
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        // no creation fee and no minimum bond until the admin sets them (setEconomics); one day for each window
        (disclosureWindow, disputeWindow) = (1 days, 1 days);
    }

    // ---------------------------------------------------------------- administration

    /// @notice Allow-lists `token` as fee token with its minimum fee (0 removes it).
    function setFeeToken(address token, uint256 minimumFee) external onlyRole(DEFAULT_ADMIN_ROLE) {
        feeTokenMinimum[token] = minimumFee;
        emit FeeTokenSet(token, minimumFee);
    }

    /// @notice Fixes the batched KZG verifier of the platform's SRS, once (its SRS_HASH is emitted).
    function setKzgVerifier(IKzgVerifier verifier) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(kzgVerifier) != address(0)) revert KzgVerifierAlreadySet();
        kzgVerifier = verifier;
        emit KzgVerifierSet(address(verifier), verifier.SRS_HASH());
    }

    /// @notice Fixes the DLEQ verifier of share complaints, once.
    function setDleqVerifier(IDleqVerifier verifier) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(dleqVerifier) != address(0)) revert DleqVerifierAlreadySet();
        dleqVerifier = verifier;
        emit DleqVerifierSet(address(verifier));
    }

    // ---------------------------------------------------------------- jobs

    /// @notice EIP-712 digest the owner signs for `p`.
    function jobDigest(JobParams calldata p) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(JOB_TYPEHASH, p)));
    }

    /// @notice Creates a job from the owner's signed parameters; the fee and the evaluator bond are pulled from the
    /// owner. When `permit.deadline` is non-zero, fee + bond are first approved with the fee token's EIP-2612
    /// permit (a failing permit is ignored: the transfer then needs an earlier approval). The creation fee
    /// (creationFeePpm of the fee) is credited to the treasury and never refunded; the rest is the job's escrow.
    function createJob(JobParams calldata p, bytes calldata ownerSignature, FeePermit calldata permit)
        external
        nonReentrant
        returns (uint256)
    {
        if (permit.deadline != 0) {
            try IERC20Permit(p.feeToken).permit(p.owner, address(this), p.fee + p.evaluatorBond, permit.deadline, permit.v, permit.r, permit.s) {}
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
        uint256 minimum = feeTokenMinimum[p.feeToken];
        rules.validate(p, minimum, minOwnerBondPpm);

        IERC20 token = IERC20(p.feeToken);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(p.owner, address(this), p.fee + p.evaluatorBond);
        uint256 received = token.balanceOf(address(this)) - before;
        uint256 bond = p.evaluatorBond;
        if (received < bond + minimum) revert FeeBelowMinimum(received > bond ? received - bond : 0, minimum);
        received -= bond;
        uint256 creationFee = received * creationFeePpm / PPM;

        jobId = ++jobCount;
        Job storage job = jobs[jobId];
        job.p = p;
        job.status = JobStatus.Active;
        job.model = p.modelHash;
        job.escrowed = received - creationFee;
        emit JobCreated(jobId, p.owner, p.feeToken, received - creationFee, p.modelHash, p.bucket);
        if (creationFee != 0 || bond != 0) {
            evaluations[jobId] = Evaluation(uint128(bond), uint128(creationFee), 0, 0, false, BondState.Held);
            if (creationFee != 0) {
                owed[treasury][p.feeToken] += creationFee;
                totalOwed[p.feeToken] += creationFee;
                emit CreationFeeCharged(jobId, treasury, creationFee);
            }
            if (bond != 0) emit BondEscrowed(jobId, p.owner, bond);
        }
        // the committee is drawn in a later block, from this block's hash, over the stakes as they stand now
        (address[] memory pool, uint256[] memory weights) = registry.nodePool();
        rules.requireEligible(weights, p.committeeSize);
        drawBlock[jobId] = block.number;
        drawPool[jobId] = keccak256(abi.encode(pool, weights));
        emit DrawPending(jobId, block.number, pool, weights);
    }

    /// @notice Draws the job's committee and opens its first attempt; anyone may call it, from the block after the
    /// job's creation on. The seed is the hash of the creation block, which nobody knew when the owner signed or the
    /// relayer sent the job; the weights are the node pool's stakes at creation (`pool` and `weights` as in the
    /// job's DrawPending event). When that block is older than the 256 hashes the EVM keeps, the draw moves to the
    /// block of this call (DrawDeferred) and a later call draws.
    function drawCommittee(uint256 jobId, address[] calldata pool, uint256[] calldata weights) external nonReentrant {
        Job storage job = _active(jobId);
        if (job.committee.length != 0) revert CommitteeAlreadyDrawn(jobId);
        if (keccak256(abi.encode(pool, weights)) != drawPool[jobId]) revert NotThePoolAtCreation(jobId);
        uint256 seedBlock = drawBlock[jobId];
        if (block.number <= seedBlock) revert DrawNotReady(jobId, seedBlock + 1);
        bytes32 hash = blockhash(seedBlock);
        if (hash == bytes32(0)) {
            drawBlock[jobId] = block.number;
            emit DrawDeferred(jobId, block.number);
            return;
        }
        uint256[] memory picked = rules.draw(weights, job.p.committeeSize, keccak256(abi.encode(hash, address(this), jobId)));
        for (uint256 j = 0; j < picked.length; j++) {
            address node = pool[picked[j]];
            job.committee.push(node);
            committeeIndex[jobId][node] = j + 1;
            registry.lock(node, StakingRegistry.Kind.Node);
        }
        emit CommitteeDrawn(jobId, job.committee);
        _openAttempt(jobId, job);
    }

    /// @notice Joins a live job as trainer; the caller's stake stays locked until the job ends.
    function join(uint256 jobId) external {
        Job storage job = _active(jobId);
        if (!registry.isEligibleTrainer(msg.sender)) revert NotStaked(msg.sender);
        if (trainerIndex[jobId][msg.sender] != 0) revert AlreadyJoined(msg.sender);
        if (job.trainers.length >= job.p.maxTrainers) revert JobFull(jobId);
        job.trainers.push(msg.sender);
        trainerIndex[jobId][msg.sender] = job.trainers.length;
        attempts[jobId].trainerCount = uint8(job.trainers.length);
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

    /// @notice Step 5: trainer i commits, in one transaction, its t commitments C_i0..C_i,t-1 (x, y words, each
    /// on BN254 G1), the keccak digest of its envelope manifest and its declared sample count n_i <= N_max.
    /// The attempt keeps only the running sums P_l and a hash of (points, manifest, n_i). The last of the joined
    /// trainers to commit closes the commit window (CommitsClosed).
    function commitRound(uint256 jobId, uint256[] calldata points, bytes32 manifest, uint32 samples) external {
        Job storage job = _active(jobId);
        uint256 i = trainerIndex[jobId][msg.sender];
        if (i == 0) revert TrainerNotJoined(msg.sender);
        Attempt storage a = attempts[jobId];
        if (a.phase != Phase.Committing) revert WrongPhase(a.phase);
        if (block.timestamp > a.d1) revert DeadlinePassed(a.d1);
        uint64 bit = uint64(1 << (i - 1));
        if (a.committedMask & bit != 0) revert AlreadyCommitted(msg.sender);
        uint256 t = a.threshold;
        if (points.length != 2 * t) revert BadLength(points.length, 2 * t);
        if (manifest == bytes32(0)) revert InvalidParameter("manifest");
        if (samples == 0 || samples > a.maxSamples) revert SamplesOutOfRange(samples, a.maxSamples);
        // the attempt's first commit overwrites the sums the previous attempt left (the precompile still checks
        // that each point is on the curve)
        bool first = a.committedCount == 0;
        for (uint256 l = 0; l < t; l++) {
            if (points[2 * l] == 0 && points[2 * l + 1] == 0) revert PointNotOnCurve(l);
            (uint256 sx, uint256 sy) = first ? (0, 0) : _sum(a, l);
            (sx, sy) = _ecAdd(sx, sy, points[2 * l], points[2 * l + 1], l);
            _setSum(a, l, sx, sy);
        }
        a.committedMask |= bit;
        a.entries[a.committedCount] = uint64((i << 32) | samples);
        a.committedCount += 1;
        trainerHash[jobId][i] = keccak256(abi.encode(points, manifest, samples));
        emit RoundCommitted(jobId, job.round, job.attempt, msg.sender, i, points, manifest, samples);
        if (a.committedCount == a.trainerCount && block.timestamp < a.d1) _closeCommits(jobId, job, a);
    }

    /// @notice Node k publishes its per-round envelope key PK_k (see JobRounds).
    function postRoundKey(uint256, uint256[2] calldata) external {
        _delegate();
    }

    /// @notice Step 7: node k, from its own address, posts its opening (z, y, yHat, proof.x, proof.y) of
    /// C_k = sum_l k^l P_l at z_k (see openingPoint), between D2 and D3 (before D2 only as the whole committee's
    /// batch, see postOpenings).
    function postOpening(uint256 jobId, uint256[5] calldata opening) external {
        uint256[] memory ks = new uint256[](1);
        ks[0] = _committeeK(jobId, msg.sender);
        uint256[] memory words = new uint256[](5);
        for (uint256 j = 0; j < 5; j++) words[j] = opening[j];
        _verifyOpenings(jobId, ks, words);
    }

    /// @notice Step 7, batched (the coordination leader's call): several nodes' openings checked with one
    /// pairing. Each entry is signed off by its node: an EIP-191 signature over
    /// keccak256(abi.encode(market, chain id, job, round, attempt, k, its 5 opening words)).
    /// Early certification: after D1 and before D2, a batch holding the openings of all m committee nodes (none
    /// opened before) is accepted when no exclusion vote, share complaint or exclusion is on record for the attempt;
    /// it closes the complaint window (D2 = now, D3 and D4 earlier by as much, ComplaintsClosed). Any other opening
    /// before D2 reverts WindowNotOpen (docs/adr/0110-early-certification.md).
    function postOpenings(uint256 jobId, uint256[] calldata ks, uint256[] calldata openings, bytes[] calldata signatures)
        external
    {
        uint256 n = ks.length;
        if (openings.length != 5 * n) revert BadLength(openings.length, 5 * n);
        if (signatures.length != n) revert BadLength(signatures.length, n);
        Job storage job = _active(jobId);
        for (uint256 j = 0; j < n; j++) {
            uint256 k = ks[j];
            if (k == 0 || k > job.committee.length) revert NotCommitteeMember(address(0));
            bytes32 digest = MessageHashUtils.toEthSignedMessageHash(
                keccak256(
                    abi.encode(
                        address(this), block.chainid, jobId, job.round, job.attempt, k, openings[5 * j], openings[5 * j + 1],
                        openings[5 * j + 2], openings[5 * j + 3], openings[5 * j + 4]
                    )
                )
            );
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signatures[j]);
            if (err != ECDSA.RecoverError.NoError || signer != job.committee[k - 1]) revert InvalidSignature();
        }
        _verifyOpenings(jobId, ks, openings);
    }

    function _verifyOpenings(uint256 jobId, uint256[] memory ks, uint256[] memory openings) private {
        Job storage job = _active(jobId);
        Attempt storage a = _current(jobId, job);
        if (a.phase != Phase.Committing && a.phase != Phase.Certified) revert WrongPhase(a.phase);
        // certified before D2 means every node opened (early certification): a late one reverts AlreadyOpened below
        if (block.timestamp <= a.d2 && a.phase == Phase.Committing) _closeComplaintsEarly(jobId, job, a, ks.length);
        if (block.timestamp > a.d3) revert DeadlinePassed(a.d3);
        IKzgVerifier verifier = kzgVerifier;
        if (address(verifier) == address(0)) revert NoKzgVerifier();
        _fixIncluded(jobId, job, a);
        uint256 included = _includedCount(a);
        if (included < job.p.minTrainers) revert TooFewTrainers(included, job.p.minTrainers);
        uint256 t = job.p.threshold;
        uint256[] memory sums = _sums(a, t);
        uint256 n = ks.length;
        uint256[] memory cs = new uint256[](2 * n);
        uint16 mask = a.openedMask;
        for (uint256 j = 0; j < n; j++) {
            uint256 k = ks[j];
            uint16 bit = uint16(1) << uint16(k - 1);
            if (mask & bit != 0) revert AlreadyOpened(k);
            mask |= bit;
            (uint256 cx, uint256 cy) = _nodeCommitment(sums, k);
            uint256 z = _openingPoint(jobId, job, k, cx, cy);
            if (openings[5 * j] != z) revert WrongOpeningPoint(k, openings[5 * j], z);
            (cs[2 * j], cs[2 * j + 1]) = (cx, cy);
        }
        bool ok;
        try verifier.verifyBatch(cs, openings) returns (bool valid) {
            ok = valid;
        } catch {}
        if (!ok) revert InvalidOpening(n == 1 ? ks[0] : 0);
        a.openedMask = mask;
        a.openedCount += uint8(n);
        for (uint256 j = 0; j < n; j++) {
            emit OpeningVerified(jobId, job.round, job.attempt, job.committee[ks[j] - 1], ks[j], openings[5 * j], openings[5 * j + 1]);
        }
        if (a.phase == Phase.Committing && a.openedCount >= t) {
            a.phase = Phase.Certified;
            emit RoundCertified(jobId, job.round, job.attempt);
        }
    }

    /// @dev Before D2 (docs/adr/0110-early-certification.md): only a batch of all m openings, none made before, after
    /// D1 (commits closed) and with no exclusion vote, complaint or exclusion about any committed trainer; then D2
    /// becomes now and D3, D4 move earlier by as much, as _closeCommits does for D1. Every node signed an opening of
    /// its C_k over the all-committed set, so no honest node has a complaint or vote left to make, and the attempt
    /// certifies in this call (m >= t), after which no vote or complaint is accepted (they need Committing).
    function _closeComplaintsEarly(uint256 jobId, Job storage job, Attempt storage a, uint256 n) private {
        if (block.timestamp <= a.d1 || n != job.committee.length || a.openedMask != 0) {
            revert WindowNotOpen(a.d2);
        }
        bytes32 key = _attemptKey(jobId, job.round, job.attempt);
        uint256 c = a.committedCount;
        uint64 excluded = a.excludedMask;
        for (uint256 j = 0; j < c; j++) {
            uint256 i = a.entries[j] >> 32;
            if ((excluded >> (i - 1)) & 1 != 0 || votes[key][i] != 0 || complaints[key][i].k != 0) {
                revert DisputePending(job.trainers[i - 1]);
            }
        }
        uint40 early = a.d2 - uint40(block.timestamp);
        (a.d2, a.d3, a.d4) = (a.d2 - early, a.d3 - early, a.d4 - early);
        emit ComplaintsClosed(jobId, job.round, job.attempt, a.d2, a.d3, a.d4);
    }

    /// @notice Step 8: node k announces the IPFS CID of its revealed S_k || b_k (see JobRounds).
    function revealPartial(uint256, bytes calldata) external {
        _delegate();
    }

    // ---------------------------------------------------------------- steps run by JobRounds (delegatecall)

    /// @notice Step 8, batched (the Raft leader's call): several nodes' reveals, each with its key for the next
    /// round, each signed off by its node (see JobRounds).
    function revealPartials(uint256, uint256[] calldata, bytes[] calldata, uint256[] calldata, bytes[] calldata)
        external
    {
        _delegate();
    }

    /// @notice Step 6: a committee vote to exclude a trainer whose envelope is missing (see JobRounds).
    function voteExclusion(uint256, address, uint256[] calldata, bytes32, uint32) external {
        _delegate();
    }

    /// @notice Step 6: a verifiable complaint about an inconsistent share (see JobRounds.complainShare).
    function complainShare(uint256, address, uint256[2] calldata, uint256[2] calldata, uint256, uint256) external {
        _delegate();
    }

    /// @notice Step 6: a vote on a share complaint (see JobRounds.voteComplaint).
    function voteComplaint(uint256, address, bool, uint256[] calldata, bytes32, uint32) external {
        _delegate();
    }

    /// @notice Moves an attempt past a missed deadline (see JobRounds.advance).
    function advance(uint256) external {
        _delegate();
    }

    /// @notice Step 8: anyone posts keccak256(A || b_A) and the opening of C_A = P_0 at the z_A bound to it, releasing
    /// the nodes' pay (see JobRounds).
    function openResult(uint256, bytes32, uint256[5] calldata) external {
        _delegate();
    }

    /// @notice Step 9: the evaluator's round result (see JobRounds.postRoundResult).
    function postRoundResult(uint256, bytes32, uint32, uint32[] calldata, uint32[] calldata) external {
        _delegate();
    }

    /// @notice The owner stops its job; rounds done stay paid, the rest of the escrow returns to the owner.
    function stopJob(uint256) external {
        _delegate();
    }

    // ---------------------------------------------------------------- accountable evaluation (JobRounds)

    /// @notice Sets the treasury, creation fee, minimum owner bond and evaluation windows (admin; see JobRounds).
    function setEconomics(address, uint32, uint32, uint32, uint32) external {
        _delegate();
    }

    /// @notice The owner discloses its committed validation set after the job ended (see JobRounds).
    function discloseValidation(uint256, bytes32, bytes32, bytes calldata) external {
        _delegate();
    }

    /// @notice A committee node's vote that a round's posted accuracy is not reproduced (see JobRounds).
    function disputeEvaluation(uint256, uint16) external {
        _delegate();
    }

    /// @notice Slashes the bond of an owner that did not disclose its committed set in time (see JobRounds).
    function slashUndisclosed(uint256) external {
        _delegate();
    }

    /// @notice Returns the bond to the owner after the dispute window (see JobRounds).
    function releaseBond(uint256) external {
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

    /// @notice The current attempt's phase, deadlines (block times), counters and running sums P_l.
    function attemptState(uint256 jobId) external view returns (AttemptView memory v) {
        Job storage job = jobs[jobId];
        Attempt storage a = _current(jobId, job);
        uint256 t = job.p.threshold;
        uint256[] memory sums = new uint256[](2 * t);
        // before the attempt's first commit the slots still hold the previous attempt's sums
        if (a.committedCount != 0) sums = _sums(a, t);
        return AttemptView(
            a.phase, a.openedAt, a.d1, a.d2, a.d3, a.d4, _resultDeadline(job, a), a.openedCount, a.revealCount,
            a.openedMask, a.sampleSum, sums
        );
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
            uint256 i = a.entries[j] >> 32;
            committed[j] = job.trainers[i - 1];
            if (a.includedFixed && (a.excludedMask >> (i - 1)) & 1 == 0) included[w++] = committed[j];
        }
    }

    /// @notice C_k of the current attempt and the point z_k node k must open it at.
    function openingPoint(uint256 jobId, uint256 k) external view returns (uint256 x, uint256 y, uint256 z) {
        Job storage job = jobs[jobId];
        Attempt storage a = _current(jobId, job);
        if (a.committedCount != 0) (x, y) = _nodeCommitment(_sums(a, job.p.threshold), k);
        z = _openingPoint(jobId, job, k, x, y);
    }

    /// @notice C_A = P_0 of the current attempt and z_A = keccak256(abi.encode(C_A.x, C_A.y, attempt, aggregateHash))
    /// mod r, the point openResult wants for an aggregate (A, b_A) with that hash.
    function resultPoint(uint256 jobId, bytes32 aggregateHash) external view returns (uint256 x, uint256 y, uint256 z) {
        Job storage job = jobs[jobId];
        Attempt storage a = _current(jobId, job);
        if (a.committedCount != 0) (x, y) = _sum(a, 0);
        z = uint256(keccak256(abi.encode(x, y, job.attempt, aggregateHash))) % R;
    }

    /// @notice Escrow not yet paid or refunded: escrowed = paid + refunded + remaining.
    function remaining(uint256 jobId) external view returns (uint256) {
        return _remaining(jobs[jobId]);
    }

    /// @notice The job's creation fee and evaluator bond: held + released + slashed = bond, and the market holds
    /// every job's remaining escrow and held bond plus what it owes.
    function evaluationOf(uint256 jobId) external view returns (EvaluationView memory) {
        Evaluation storage ev = evaluations[jobId];
        return EvaluationView(ev.creationFee, ev.bond, ev.bondState, ev.disclosed, ev.disclosureDeadline, ev.disputeDeadline);
    }

    function claimable(address account, address token) external view returns (uint256) {
        return owed[account][token];
    }
}
