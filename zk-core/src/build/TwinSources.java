import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes zk-core's twin classes (two fields, two groups) from one template each, as gnark-crypto
 * generates its per-curve code. Run by the build in generate-sources:
 * {@code java TwinSources.java <template root> <output root>}. A template names its slots
 * {@code ${NAME}}; every slot must be filled, and a file is rewritten only when its text changes.
 */
public final class TwinSources {

    private static final String R = "21888242871839275222246405745257275088548364400416034343698204186575808495617";
    private static final String P = "21888242871839275222246405745257275088696311157297823662689037894645226208583";
    private static final String PKG = "io/zkpfl/zk/bn254/";

    /**
     * One generated class: its template, its name, its one-line slots, and optionally a fragments file
     * ({@code <name>.fragments} beside the templates) whose {@code //// SLOT} sections fill multi-line slots.
     */
    private record Twin(String template, String className, Map<String, String> slots, boolean fragments) {
        Twin(String template, String className, Map<String, String> slots) {
            this(template, className, slots, false);
        }
    }

    private static Map<String, String> slots(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static final List<Twin> TWINS = List.of(
            new Twin("Field", "Fr", slots("F", "Fr", "q", "r", "FIELD_NAME", "scalar field", "MODULUS", R)),
            new Twin("Field", "Fp", slots("F", "Fp", "q", "p", "FIELD_NAME", "base field", "MODULUS", P)),
            new Twin("FieldLimbs", "FrLimbs", slots("F", "Fr", "q", "r")),
            new Twin("FieldLimbs", "FpLimbs", slots("F", "Fp", "q", "p")),
            // G1 coordinates are Fp (4 limbs); G2 coordinates are Fp2 (8 limbs), whose kernels need a temporary
            new Twin("Msm", "MsmG1", slots("G", "G1", "W", "4", "LIMBS", "FpLimbs", "COORD", "Fp",
                    "T", "", "T_PARAM", "", "TEMP_DECL", "", "ONE_PAD", "")),
            new Twin("Msm", "MsmG2", slots("G", "G2", "W", "8", "LIMBS", "Fp2Limbs", "COORD", "Fp2",
                    "T", ", t", "T_PARAM", ", long[] t", "TEMP_DECL", "        long[] t = new long[20];\n",
                    "ONE_PAD", ", 0, 0, 0, 0")),
            // the points share their Jacobian formulas; constants, generator, subgroup test and EVM layout differ
            new Twin("Curve", "G1", slots("G", "G1", "C", "Fp"), true),
            new Twin("Curve", "G2", slots("G", "G2", "C", "Fp2"), true));

    private static final Pattern SLOT = Pattern.compile("\\$\\{([A-Z_a-z]+)}");

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java TwinSources.java <template root> <output root>");
            System.exit(2);
        }
        Path templates = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int written = 0;
        for (Twin twin : TWINS) {
            Path template = templates.resolve(PKG + twin.template() + ".java.template");
            Map<String, String> slots = new LinkedHashMap<>(twin.slots());
            if (twin.fragments()) {
                slots.putAll(fragments(templates.resolve(PKG + twin.className() + ".fragments")));
            }
            String text = render(Files.readString(template, StandardCharsets.UTF_8), slots, twin.className(), template);
            String header = "// Generated from " + twin.template() + ".java.template (zk-core/src/main/templates) by "
                    + "zk-core/src/build/TwinSources.java: edit the template, not this file.\n";
            Path target = out.resolve(PKG + twin.className() + ".java");
            String content = header + text;
            if (!Files.exists(target) || !Files.readString(target, StandardCharsets.UTF_8).equals(content)) {
                Files.createDirectories(target.getParent());
                Files.writeString(target, content, StandardCharsets.UTF_8);
                written++;
            }
        }
        System.out.println("TwinSources: " + TWINS.size() + " classes, " + written + " rewritten");
    }

    /** The {@code //// NAME} sections of a fragments file, each up to the next header, without its last newline. */
    private static Map<String, String> fragments(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        List<String> value = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("//// ")) {
                if (name != null) {
                    out.put(name, String.join("\n", value));
                }
                name = line.substring(5).strip();
                value.clear();
            } else if (name == null) {
                throw new IllegalArgumentException(file + ": text before the first //// header");
            } else {
                value.add(line);
            }
        }
        if (name != null) {
            out.put(name, String.join("\n", value));
        }
        return out;
    }

    private static String render(String template, Map<String, String> slots, String className, Path file) {
        Matcher m = SLOT.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = slots.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(file + ": slot ${" + m.group(1) + "} has no value for " + className);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
