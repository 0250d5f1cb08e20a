/**
 * The round's messages (envelope manifest, reveal) and the deterministic model step that turns the
 * reconstructed sum into the next weights (docs/protocol.md, "Reveal" and "Finalise").
 */
package io.zkpfl.protocol.round;
