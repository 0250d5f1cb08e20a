// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A job as its owner signs it (EIP-712 type `JobParams`). Accuracies and alpha in ppm.
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

/// @notice States of one attempt of a round (v1, docs/contracts.md).
enum Phase {
    None,
    Collecting,
    ChallengeRequested,
    Challenged,
    Certified,
    Revealed,
    Paid,
    Failed
}

/// @notice Read-only view of a job's current attempt.
struct AttemptView {
    Phase phase;
    uint64 openedAt;
    uint64 commitDeadline;
    uint64 complaintDeadline;
    uint64 partialDeadline;
    uint64 proofDeadline;
    uint64 revealDeadline;
    uint256 rho;
    uint8 partialCount;
    uint8 revealCount;
}
