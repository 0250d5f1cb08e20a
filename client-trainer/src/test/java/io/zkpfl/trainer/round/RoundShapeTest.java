package io.zkpfl.trainer.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.fixedpoint.UpdateEncoder;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class RoundShapeTest {

    @Test
    void theBucketIsTheShareLengthAndMustHoldTheUpdateAndTheMasks() {
        assertEquals(16, RoundShape.length(10, 3, 16));
        assertEquals(16, RoundShape.length(13, 3, 16), "d + m = 16 fits exactly");
        // the marketplace's bucket for the 25,450-parameter CNN is 2^15 (≥ d + 2), which also holds d + m
        assertEquals(1 << 15, RoundShape.length(25_450, 5, 1 << 15));
        assertEquals(1 << 15, RoundShape.params(2, 5, 25_450, 1 << 15).length());
        // d + m = 17 does not fit 16: refused, as the nodes and the reward engine cannot run it either
        TrainerException e = assertThrows(TrainerException.class, () -> RoundShape.length(14, 3, 16));
        assertEquals(TrainerException.REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("bucket D = 16 cannot hold its 14 parameters and 3 masks"), e.getMessage());
    }

    @Test
    void onlyTheCoordinateClipOfTheJobBinds() {
        ClipPolicy clip = RoundShape.clip(BigInteger.valueOf(3L << 15), 1000, 4); // B = 1.5
        assertEquals(1.5, clip.coordinateClip());
        assertEquals(1000, clip.maxSamples());
        // a vector at B in every coordinate is not shrunk by the L2 clip
        float[] atB = {1.5f, -1.5f, 1.5f, -1.5f};
        long[] q = new UpdateEncoder(clip).quantise(atB, 10);
        for (int j = 0; j < 4; j++) {
            assertEquals((j % 2 == 0 ? 1 : -1) * 15L * 65536, q[j], "coordinate " + j);
        }
        // beyond B a coordinate is clamped to B
        assertEquals(15L * 65536, new UpdateEncoder(clip).quantise(new float[] {7f, 0f, 0f, 0f}, 10)[0]);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RoundShape.clip(BigInteger.ONE.shiftLeft(40), 1 << 29, 4)).getMessage().contains("2^62"));
    }
}
