package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code Fp} and {@code Fr} are one Montgomery implementation instantiated for two moduli (ADR 0020): the
 * sources must stay identical once comments, the class name, the modulus literal and the modulus' letter in
 * messages are abstracted. A fix applied to one field and not the other fails here.
 */
class FieldSourceTwinsTest {

    private static final Path SOURCES = Path.of("src/main/java/io/zkpfl/zk/bn254");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void fpAndFrDifferOnlyInTheirModulus() throws IOException {
        assertEquals(normalised("Fr.java", Fr.MODULUS.toString()), normalised("Fp.java", Fp.MODULUS.toString()));
    }

    /** The limb kernels ({@code FpLimbs}, {@code FrLimbs}) are one text too, over their field's constants. */
    @Test
    void limbKernelsDifferOnlyInTheirField() throws IOException {
        assertEquals(normalised("FrLimbs.java", Fr.MODULUS.toString()), normalised("FpLimbs.java", Fp.MODULUS.toString()));
    }

    private static String normalised(String file, String modulus) throws IOException {
        String text = COMMENTS.matcher(Files.readString(SOURCES.resolve(file))).replaceAll("");
        text = text.replace(modulus, "MODULUS_LITERAL")
                .replaceAll("\\bF[pr]Limbs\\b", "FIELD_LIMBS")
                .replaceAll("\\bF[pr]\\b", "FIELD")
                .replaceAll("modulus [pr]\\b", "modulus q")
                .replaceAll("\\[0, [pr]\\)", "[0, q)");
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
