/**
 * A job owner's validation set for the evaluator (docs/protocol.md, "Evaluation"; docs/adr/0105): the canonical
 * {@link io.zkpfl.protocol.validation.ValidationBundle}, its {@link io.zkpfl.protocol.validation.SealedBundle sealing}
 * to the evaluator's {@link io.zkpfl.protocol.validation.EvaluatorEncryptionKey encryption key}, and the on-chain
 * commitment {@code keccak256(abi.encode(bundleHash, contentKey))}.
 */
package io.zkpfl.protocol.validation;
