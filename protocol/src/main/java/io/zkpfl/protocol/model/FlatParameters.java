package io.zkpfl.protocol.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The canonical flat parameter vector on the wire: little-endian IEEE-754 float32, no header. */
public final class FlatParameters {

    private FlatParameters() {
    }

    /**
     * Decodes a parameter vector for the given model.
     *
     * @throws ModelSpecException (field {@code weights}) when the length is not exactly
     *     {@code 4 · parameterCount} bytes or a value is not finite
     */
    public static float[] decode(byte[] littleEndianFloat32, ModelSpec spec) {
        long expected = spec.parameterCount() * Float.BYTES;
        if (littleEndianFloat32.length != expected) {
            throw new ModelSpecException("weights", "expected " + expected + " bytes (" + spec.parameterCount()
                    + " little-endian float32 values), got " + littleEndianFloat32.length + " bytes");
        }
        float[] values = new float[(int) spec.parameterCount()];
        ByteBuffer.wrap(littleEndianFloat32).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new ModelSpecException("weights", "value " + i + " is not a finite number");
            }
        }
        return values;
    }

    /** Encodes parameters as little-endian float32. */
    public static byte[] encode(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }
}
