// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A job as its owner signs it (EIP-712 type `JobParams`). Accuracies and alpha in ppm. The last four
/// fields (docs/contracts.md, "Accountable evaluation"): `validationCommitment` is 0 for the evaluator's public
/// default validation set, else keccak256(abi.encode(bundleHash, contentKey)) of the owner's encrypted set;
/// `evaluatorVersion` keccak256 of the evaluator's release id; `evaluatorBond` the owner's bond in the fee token,
/// escrowed beside the fee; `groups` how many per-group accuracies each round's result carries (0: none).
struct JobParams {
    address owner;
    address feeToken;
    uint256 fee;
    address evaluator;
    bytes32 modelHash;
    uint32 bucket;
    uint16 maxRounds;
    uint16 committeeSize;
    uint16 threshold;
    uint16 minTrainers;
    uint16 maxTrainers;
    uint32 maxSamples;
    uint256 clipQ16;
    uint32 targetAccuracy;
    uint32 alpha;
    uint32 commitWindow;
    uint32 complaintWindow;
    uint32 partialWindow;
    uint32 proofWindow;
    uint32 revealWindow;
    uint256 nonce;
    uint256 deadline;
    bytes32 validationCommitment;
    bytes32 evaluatorVersion;
    uint256 evaluatorBond;
    uint16 groups;
}

/// @notice An EIP-2612 permit of the fee token for the job's fee; deadline 0 means none.
struct FeePermit {
    uint256 deadline;
    uint8 v;
    bytes32 r;
    bytes32 s;
}

enum JobStatus {
    None,
    Active,
    Completed,
    Failed
}

/// @notice States of one attempt of a round (v2, docs/contracts.md): trainers commit until D1, the committee
/// votes exclusions until D2, opens C_k until D3 (Certified at t valid openings), reveals and the opening of C_A
/// come by D4 (Aggregated), the evaluator's result pays it (Paid). Failed: restarted before certification;
/// Skipped: certified but fewer than t reveals or no opening of C_A by D4.
enum Phase {
    None,
    Committing,
    Certified,
    Aggregated,
    Paid,
    Failed,
    Skipped
}

/// @notice Read-only view of a job's current attempt. `commitDeadline` D1, `complaintDeadline` D2 (exclusion
/// votes), `openingDeadline` D3, `revealDeadline` D4 (reveals and the result opening), `resultDeadline` (the
/// evaluator's). `sums` are P_0..P_{t-1} as x, y words.
struct AttemptView {
    Phase phase;
    uint64 openedAt;
    uint64 commitDeadline;
    uint64 complaintDeadline;
    uint64 openingDeadline;
    uint64 revealDeadline;
    uint64 resultDeadline;
    uint8 openedCount;
    uint8 revealCount;
    uint16 openedMask;
    uint64 sampleSum;
    uint256[] sums;
}

/// @notice What became of an owner's evaluator bond: held until released to the owner or slashed to trainers.
enum BondState {
    Held,
    Released,
    Slashed
}

/// @notice Read-only view of a job's creation fee and evaluator bond. The deadlines are set when the job ends
/// (0 before): the owner discloses its validation set until `disclosureDeadline`, committee nodes dispute
/// until `disputeDeadline`.
struct EvaluationView {
    uint256 creationFee;
    uint256 bond;
    BondState bondState;
    bool disclosed;
    uint64 disclosureDeadline;
    uint64 disputeDeadline;
}
