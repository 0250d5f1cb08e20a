package io.zkpfl.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComputeThreadsTest {

    private interface CLibrary extends Library {
        String getenv(String name);
    }

    @Test
    void defaultIsOmpNumThreadsWhenItIsACountOtherwiseTheCores() {
        assertEquals(3, ComputeThreads.defaultCount(Map.of("OMP_NUM_THREADS", "3"), 8));
        assertEquals(1, ComputeThreads.defaultCount(Map.of("OMP_NUM_THREADS", " 1 "), 8));
        assertEquals(8, ComputeThreads.defaultCount(Map.of(), 8));
        assertEquals(8, ComputeThreads.defaultCount(Map.of("OMP_NUM_THREADS", "0"), 8));
        assertEquals(8, ComputeThreads.defaultCount(Map.of("OMP_NUM_THREADS", "4,2"), 8));
        assertEquals(8, ComputeThreads.defaultCount(Map.of("OMP_NUM_THREADS", ""), 8));
    }

    @Test
    void configureSetsLibtorchsThreadCountAndTheProcessEnvironment() {
        // surefire runs with OMP_NUM_THREADS=1, which libtorch's OpenMP takes as its default
        assertEquals(1, ComputeThreads.active());
        CLibrary c = Native.load("c", CLibrary.class);
        String policy = c.getenv("OMP_WAIT_POLICY");
        try {
            ComputeThreads.configure(3);
            assertEquals(3, ComputeThreads.active(), "libtorch takes a new count after it has loaded");
            assertEquals("3", c.getenv("OMP_NUM_THREADS"));
            assertEquals(policy == null ? "PASSIVE" : policy, c.getenv("OMP_WAIT_POLICY"), "an explicit policy is kept");
        } finally {
            ComputeThreads.configure(1);
        }
        assertEquals(1, ComputeThreads.active());
        assertEquals("1", c.getenv("OMP_NUM_THREADS"));
        assertThrows(IllegalArgumentException.class, () -> ComputeThreads.configure(0));
    }
}
