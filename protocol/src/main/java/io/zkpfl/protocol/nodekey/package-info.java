/**
 * Per-round node keys announced with an EIP-191 signature by the node's registered Ethereum key
 * (docs/adr/0064-round-key-signature.md).
 */
package io.zkpfl.protocol.nodekey;
