// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title zkPFL platform token: ERC-20 with EIP-2612 permit, used for staking.
/// @notice The owner (the platform) mints; a dev deployment mints to the dev accounts.
contract PlatformToken is ERC20, ERC20Permit, Ownable {
    constructor(address admin) ERC20("zkPFL Token", "ZKPFL") ERC20Permit("zkPFL Token") Ownable(admin) {}

    /// @notice Mints `amount` (18 decimals) to `to`; platform owner only.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
