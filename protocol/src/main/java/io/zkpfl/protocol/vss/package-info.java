/**
 * Feldman–Pedersen verifiable secret sharing of vectors with hiding KZG commitments: the trainer's
 * dealing, a node's batched share check, the contract's commitment sums, Lagrange reconstruction of
 * the round's sum and its check against {@code C_A} (docs/protocol.md, "Share" to "Reveal";
 * docs/adr/0060-blinding-degree.md).
 */
package io.zkpfl.protocol.vss;
