// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title Stakes of trainers and zk-node operators in the platform token.
/// @notice Stake is locked while its owner takes part in a live job, leaves through an unbonding
/// delay, and is slashed only by the job market (MARKET_ROLE) on a fault proven on chain.
contract StakingRegistry is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    bytes32 public constant MARKET_ROLE = keccak256("MARKET_ROLE");
    /// @notice Upper bound of the node pool, so that a committee draw is bounded in gas.
    uint256 public constant MAX_NODES = 128;

    enum Kind {
        None,
        Trainer,
        Node
    }

    struct Account {
        Kind kind;
        uint32 locks;
        uint64 unbondingEndsAt;
        uint256 stake;
        uint256 unbonding;
    }

    struct NodeInfo {
        bytes32 x25519Key;
        string endpoint;
    }

    IERC20 public immutable token;
    uint256 public immutable trainerMinStake;
    uint256 public immutable nodeMinStake;
    uint64 public immutable unbondingDelay;
    address public immutable treasury;

    mapping(address => Account) private accounts;
    mapping(address => NodeInfo) private nodeInfos;
    address[] private nodes;
    mapping(address => uint256) private nodePosition; // index + 1
    mapping(address => uint16) private capacities; // committees a node serves at once; 0: not stated, no limit

    error BelowMinimumStake(uint256 stake, uint256 minimum);
    error AlreadyRegistered(address account);
    error NotRegistered(address account);
    error StakeLocked(address account, uint32 locks);
    error UnbondingNotOver(uint64 endsAt);
    error NothingToWithdraw();
    error NodePoolFull();
    error InvalidNodeKey();
    error InvalidAmount();
    error NotLocked(address account);
    error InvalidCapacity(uint256 capacity);
    error AtCapacity(address node, uint16 capacity);

    event TrainerStaked(address indexed trainer, uint256 amount, uint256 stake);
    event NodeRegistered(address indexed node, uint256 amount, bytes32 x25519Key, string endpoint);
    event StakeAdded(address indexed account, uint256 amount, uint256 stake);
    event UnbondingStarted(address indexed account, uint256 amount, uint64 endsAt);
    event Withdrawn(address indexed account, uint256 amount);
    event StakeLockChanged(address indexed account, uint32 locks);
    event Slashed(address indexed account, uint256 amount, bytes32 reason);
    event CapacitySet(address indexed node, uint16 capacity);

    constructor(IERC20 token_, uint256 trainerMin, uint256 nodeMin, uint64 unbondingDelay_, address admin, address treasury_) {
        token = token_;
        trainerMinStake = trainerMin;
        nodeMinStake = nodeMin;
        unbondingDelay = unbondingDelay_;
        treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Registers the caller as a trainer with `amount` tokens (approved beforehand).
    function stakeAsTrainer(uint256 amount) external nonReentrant {
        Account storage a = accounts[msg.sender];
        if (a.kind != Kind.None) revert AlreadyRegistered(msg.sender);
        if (amount < trainerMinStake) revert BelowMinimumStake(amount, trainerMinStake);
        a.kind = Kind.Trainer;
        a.stake = amount;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit TrainerStaked(msg.sender, amount, amount);
    }

    /// @notice Registers the caller as a zk-node with its X25519 public key and endpoint.
    function registerNode(uint256 amount, bytes32 x25519Key, string calldata endpoint) external nonReentrant {
        Account storage a = accounts[msg.sender];
        if (a.kind != Kind.None) revert AlreadyRegistered(msg.sender);
        if (amount < nodeMinStake) revert BelowMinimumStake(amount, nodeMinStake);
        if (x25519Key == bytes32(0) || bytes(endpoint).length == 0 || bytes(endpoint).length > 256) revert InvalidNodeKey();
        if (nodes.length >= MAX_NODES) revert NodePoolFull();
        a.kind = Kind.Node;
        a.stake = amount;
        nodeInfos[msg.sender] = NodeInfo(x25519Key, endpoint);
        nodes.push(msg.sender);
        nodePosition[msg.sender] = nodes.length;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit NodeRegistered(msg.sender, amount, x25519Key, endpoint);
    }

    /// @notice Adds `amount` to the caller's stake.
    function addStake(uint256 amount) external nonReentrant {
        Account storage a = accounts[msg.sender];
        if (a.kind == Kind.None) revert NotRegistered(msg.sender);
        if (amount == 0) revert InvalidAmount();
        a.stake += amount;
        if (a.kind == Kind.Node && nodePosition[msg.sender] == 0) {
            if (nodes.length >= MAX_NODES) revert NodePoolFull();
            nodes.push(msg.sender);
            nodePosition[msg.sender] = nodes.length;
        }
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit StakeAdded(msg.sender, amount, a.stake);
    }

    /// @notice Moves `amount` of stake into unbonding; the rest must stay zero or above the minimum.
    /// Restarts the unbonding delay for everything that is unbonding.
    function requestUnbond(uint256 amount) external {
        Account storage a = accounts[msg.sender];
        if (a.kind == Kind.None) revert NotRegistered(msg.sender);
        if (a.locks != 0) revert StakeLocked(msg.sender, a.locks);
        if (amount == 0 || amount > a.stake) revert InvalidAmount();
        uint256 rest = a.stake - amount;
        uint256 minimum = _minimum(a.kind);
        if (rest != 0 && rest < minimum) revert BelowMinimumStake(rest, minimum);
        a.stake = rest;
        a.unbonding += amount;
        a.unbondingEndsAt = uint64(block.timestamp) + unbondingDelay;
        if (rest == 0 && a.kind == Kind.Node) _removeNode(msg.sender);
        emit UnbondingStarted(msg.sender, amount, a.unbondingEndsAt);
    }

    /// @notice Pays out the caller's unbonded tokens once the delay is over and no job holds a lock.
    function withdraw() external nonReentrant {
        Account storage a = accounts[msg.sender];
        if (a.locks != 0) revert StakeLocked(msg.sender, a.locks);
        uint256 amount = a.unbonding;
        if (amount == 0) revert NothingToWithdraw();
        if (block.timestamp < a.unbondingEndsAt) revert UnbondingNotOver(a.unbondingEndsAt);
        a.unbonding = 0;
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    /// @notice Locks the stake of `account` for a live job; it must be staked at its minimum.
    function lock(address account, Kind expected) external onlyRole(MARKET_ROLE) {
        Account storage a = accounts[account];
        if (a.kind != expected) revert NotRegistered(account);
        uint256 minimum = _minimum(expected);
        if (a.stake < minimum) revert BelowMinimumStake(a.stake, minimum);
        uint16 capacity = capacities[account];
        if (capacity != 0 && a.locks >= capacity) revert AtCapacity(account, capacity);
        a.locks += 1;
        emit StakeLockChanged(account, a.locks);
    }

    /// @notice Releases one job's lock on the stake of `account`.
    function unlock(address account) external onlyRole(MARKET_ROLE) {
        Account storage a = accounts[account];
        if (a.locks == 0) revert NotLocked(account);
        a.locks -= 1;
        emit StakeLockChanged(account, a.locks);
    }

    /// @notice Slashes `bps` basis points of the stake (and unbonding) of `account` to the treasury,
    /// for a fault that the market proved on chain. Returns the amount taken.
    function slash(address account, uint16 bps, bytes32 reason) external onlyRole(MARKET_ROLE) returns (uint256 amount) {
        Account storage a = accounts[account];
        uint256 fromStake = (a.stake * bps) / 10_000;
        uint256 fromUnbonding = (a.unbonding * bps) / 10_000;
        a.stake -= fromStake;
        a.unbonding -= fromUnbonding;
        amount = fromStake + fromUnbonding;
        if (amount != 0) token.safeTransfer(treasury, amount);
        emit Slashed(account, amount, reason);
    }

    /// @notice Whether `account` may train: registered as trainer with at least the minimum stake.
    function isEligibleTrainer(address account) external view returns (bool) {
        Account storage a = accounts[account];
        return a.kind == Kind.Trainer && a.stake >= trainerMinStake;
    }

    function accountOf(address account) external view returns (Account memory) {
        return accounts[account];
    }

    function nodeInfoOf(address node) external view returns (NodeInfo memory) {
        return nodeInfos[node];
    }

    function nodeCount() external view returns (uint256) {
        return nodes.length;
    }

    /// @notice The pool of nodes with their stake weights (0 for a node below the minimum).
    /// @notice Registered nodes with their draw weights: the stake, or 0 below the minimum or at the node's
    /// stated capacity (as many committees as it serves at once).
    function nodePool() external view returns (address[] memory pool, uint256[] memory weights) {
        pool = nodes;
        weights = new uint256[](pool.length);
        for (uint256 i = 0; i < pool.length; i++) {
            Account storage a = accounts[pool[i]];
            uint16 capacity = capacities[pool[i]];
            weights[i] = a.stake >= nodeMinStake && (capacity == 0 || a.locks < capacity) ? a.stake : 0;
        }
    }

    /// @notice A registered node states how many committees it serves at once (1..1000); 0 (the default) states
    /// no limit. Committee draws skip a node at its capacity.
    function setCapacity(uint16 capacity) external {
        if (accounts[msg.sender].kind != Kind.Node) revert NotRegistered(msg.sender);
        if (capacity == 0 || capacity > 1000) revert InvalidCapacity(capacity);
        capacities[msg.sender] = capacity;
        emit CapacitySet(msg.sender, capacity);
    }

    /// @notice The node's stated capacity (0: not stated, no limit).
    function capacityOf(address node) external view returns (uint16) {
        return capacities[node];
    }

    function _minimum(Kind kind) private view returns (uint256) {
        return kind == Kind.Node ? nodeMinStake : trainerMinStake;
    }

    function _removeNode(address node) private {
        uint256 pos = nodePosition[node];
        if (pos == 0) return;
        address last = nodes[nodes.length - 1];
        nodes[pos - 1] = last;
        nodePosition[last] = pos;
        nodes.pop();
        nodePosition[node] = 0;
    }
}
