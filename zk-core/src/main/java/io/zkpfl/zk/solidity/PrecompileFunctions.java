package io.zkpfl.zk.solidity;

/**
 * The Solidity helper functions that every generated verifier needs around the BN254 precompiles
 * {@code ecAdd} (0x06) and {@code ecMul} (0x07), written once: each reverts with the caller's reason
 * when a point is not on the curve. The text is indented for a contract body (four spaces).
 */
final class PrecompileFunctions {

    private PrecompileFunctions() {
    }

    /** {@code _mul(px, py, k)}: k·(px, py). */
    static String mul(String reason) {
        return """
                    function _mul(uint256 px, uint256 py, uint256 k) internal view returns (uint256 x, uint256 y) {
                        bool ok;
                        assembly ("memory-safe") {
                            let m := mload(0x40)
                            mstore(m, px)
                            mstore(add(m, 0x20), py)
                            mstore(add(m, 0x40), k)
                            ok := staticcall(gas(), 0x07, m, 0x60, m, 0x40)
                            x := mload(m)
                            y := mload(add(m, 0x20))
                        }
                        require(ok, "%s");
                    }
                """.formatted(reason);
    }

    /** {@code _mulAdd(accX, accY, px, py, k)}: (accX, accY) + k·(px, py). */
    static String mulAdd(String reason) {
        return """
                    /// @dev (accX, accY) + k*(px, py); reverts if either point is not on the curve
                    function _mulAdd(uint256 accX, uint256 accY, uint256 px, uint256 py, uint256 k)
                        internal view returns (uint256 x, uint256 y)
                    {
                        bool ok;
                        assembly ("memory-safe") {
                            let m := mload(0x40)
                            mstore(m, px)
                            mstore(add(m, 0x20), py)
                            mstore(add(m, 0x40), k)
                            ok := staticcall(gas(), 0x07, m, 0x60, m, 0x40)
                            if ok {
                                mstore(add(m, 0x40), accX)
                                mstore(add(m, 0x60), accY)
                                ok := staticcall(gas(), 0x06, m, 0x80, m, 0x40)
                            }
                            x := mload(m)
                            y := mload(add(m, 0x20))
                        }
                        require(ok, "%s");
                    }
                """.formatted(reason);
    }
}
