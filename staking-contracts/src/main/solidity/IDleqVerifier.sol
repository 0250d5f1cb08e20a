// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title The Chaum-Pedersen (DLEQ) verifier that zk-core exports (DleqSolidity).
interface IDleqVerifier {
    /// @notice True iff (c, s) proves publicKey = x*G and shared = x*base2 for one x.
    function verify(uint256[2] calldata publicKey, uint256[2] calldata base2, uint256[2] calldata shared, uint256 c, uint256 s)
        external
        view
        returns (bool);
}
