/**
 * Share envelopes: ECDH on BN254 G1 against a node's per-round key, HKDF-SHA256 of the shared point,
 * AES-256-GCM with the envelope's tag as associated data; openable from the shared point alone for
 * complaints (docs/adr/0061-share-envelope-format.md).
 */
package io.zkpfl.protocol.envelope;
