package io.zkpfl.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.contracts.generated.JobMarket;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.utils.Numeric;

/**
 * The struct decoding works where web3j and the wrappers live in different class loaders, as under Quarkus: here
 * web3j (and everything else on the test class path) is in a parent loader and this module's classes in a child.
 */
class StructCallsTest {

    /** {@code JobParams} return data whose word {@code i} is {@code i + 1}: a valid value for every field type. */
    private static String words() {
        StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < JobMarket.JobParams.class.getFields().length; i++) {
            hex.append(String.format("%064x", i + 1));
        }
        return hex.toString();
    }

    /** The struct's field values as text, nested arrays included, comparable across class loaders. */
    private static List<String> values(Object struct) throws Exception {
        List<String> out = new ArrayList<>();
        for (Object v : (List<?>) struct.getClass().getMethod("getValue").invoke(struct)) {
            Object raw = v.getClass().getMethod("getValue").invoke(v);
            out.add(raw instanceof byte[] b ? Numeric.toHexString(b) : raw instanceof List<?> ? values(v).toString() : raw.toString());
        }
        return out;
    }

    @Test
    void decodesTheWrappersStructUnderASeparateClassLoader() throws Exception {
        String output = words();
        JobMarket.JobParams here = StructCalls.decode(output, JobMarket.JobParams.class);
        assertEquals("0x0000000000000000000000000000000000000001", here.owner);
        assertEquals(java.math.BigInteger.valueOf(3), here.fee);

        Path classes = Path.of(StructCalls.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<URL> rest = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (!p.equals(classes.toAbsolutePath()) && !p.toString().endsWith("test-classes")) {
                rest.add(p.toUri().toURL());
            }
        }
        try (URLClassLoader parent = new URLClassLoader(rest.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
             URLClassLoader child = new URLClassLoader(new URL[] {classes.toUri().toURL()}, parent)) {
            Class<?> params = child.loadClass(JobMarket.JobParams.class.getName());
            assertTrue(params.getClassLoader() == child && StaticStruct.class.getClassLoader() != parent
                    && child.loadClass(StaticStruct.class.getName()).getClassLoader() == parent, "web3j in the parent, wrappers in the child");

            // web3j's own lookup by name fails there ...
            Class<?> typeReference = parent.loadClass("org.web3j.abi.TypeReference");
            Object byName = typeReference.getMethod("create", Class.class).invoke(null, params);
            Method decodeWeb3j = parent.loadClass("org.web3j.abi.FunctionReturnDecoder").getMethod("decode", String.class, List.class);
            InvocationTargetException failed = assertThrows(InvocationTargetException.class,
                    () -> decodeWeb3j.invoke(null, output, List.of(byName)));
            assertTrue(String.valueOf(failed.getCause()).contains("ClassNotFound")
                    || String.valueOf(failed.getCause().getCause()).contains("ClassNotFound"), String.valueOf(failed.getCause()));

            // ... and StructCalls decodes the same words into the child's class, field by field as here
            Object there = child.loadClass(StructCalls.class.getName()).getMethod("decode", String.class, Class.class)
                    .invoke(null, output, params);
            assertEquals(params, there.getClass());
            assertEquals(values(here), values(there));

            // a dynamic struct (the attempt view, with its array of sums) decodes the same way
            JobMarket.AttemptView view = new JobMarket.AttemptView(BigInteger.TWO, BigInteger.valueOf(100), BigInteger.valueOf(110),
                    BigInteger.valueOf(120), BigInteger.valueOf(130), BigInteger.valueOf(140), BigInteger.valueOf(150),
                    BigInteger.valueOf(3), BigInteger.ONE, BigInteger.valueOf(7), BigInteger.valueOf(4000),
                    List.of(BigInteger.valueOf(11), BigInteger.valueOf(12), BigInteger.valueOf(13), BigInteger.valueOf(14)));
            // return data of a function returning one dynamic tuple: its offset, then the tuple
            String viewOutput = "0x" + String.format("%064x", 32) + TypeEncoder.encode(view);
            Class<?> viewClass = child.loadClass(JobMarket.AttemptView.class.getName());
            Object decodedView = child.loadClass(StructCalls.class.getName()).getMethod("decode", String.class, Class.class)
                    .invoke(null, viewOutput, viewClass);
            assertEquals(values(StructCalls.decode(viewOutput, JobMarket.AttemptView.class)), values(decodedView));
            assertEquals(List.of(BigInteger.valueOf(11), BigInteger.valueOf(12), BigInteger.valueOf(13), BigInteger.valueOf(14)),
                    StructCalls.decode(viewOutput, JobMarket.AttemptView.class).sums);
        }
    }

    @Test
    void refusesReturnDataThatIsNotTheStruct() {
        assertThrows(RuntimeException.class, () -> StructCalls.decode("0x01", JobMarket.JobParams.class));
    }
}
