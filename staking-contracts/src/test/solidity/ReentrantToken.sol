// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test-only hostile fee token: on every transfer it calls back into `target` with
/// `payload` and bubbles up the callee's revert, to show the market's reentrancy guards hold.
contract ReentrantToken is ERC20 {
    address public target;
    bytes public payload;
    bool private inside;

    constructor() ERC20("Reentrant", "RENT") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (target != address(0) && !inside && from != address(0)) {
            inside = true;
            (bool ok, bytes memory ret) = target.call(payload);
            inside = false;
            if (!ok) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
        }
    }
}
