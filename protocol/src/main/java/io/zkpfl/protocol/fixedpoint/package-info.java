/**
 * Fixed-point encoding of trainers' updates into F_r (f = 16, round half to even), decoding of sums,
 * and the overflow bound job creation enforces (docs/protocol.md, "Parameters";
 * docs/adr/0062-fixed-point-rounding.md).
 */
package io.zkpfl.protocol.fixedpoint;
