/**
 * Reading and writing the round messages' fixed-width big-endian fields, with decoding errors that
 * name the message, field and offset (docs/adr/0063-round-message-format.md).
 */
package io.zkpfl.protocol.wire;
