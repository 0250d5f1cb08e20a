// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title The batched KZG opening verifier that zk-core exports for one SRS (KzgSolidityVerifier).
interface IKzgVerifier {
    /// @param commitments 2 words per commitment: x, y
    /// @param openings 5 words per opening: z, y, yHat, proof.x, proof.y
    function verifyBatch(uint256[] calldata commitments, uint256[] calldata openings) external view returns (bool);

    /// @notice SHA-256 of the SRS the verifier's constants come from.
    function SRS_HASH() external view returns (bytes32);
}
