package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.contracts.generated.PlatformToken;
import io.zkpfl.contracts.generated.JobRules;
import io.zkpfl.contracts.generated.StakingRegistry;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded revert: the custom error's name (or {@code Error} for a require string, {@code Panic} for a
 * panic) and its arguments as plain Java values.
 */
public record RevertReason(String name, List<Object> args) {

    private static final String ERROR_STRING = "0x08c379a0";
    private static final String PANIC = "0x4e487b71";
    private static final Map<String, CustomError> KNOWN = knownErrors();

    public RevertReason {
        args = List.copyOf(args);
    }

    /**
     * Decodes revert data ({@code 0x} + selector + ABI-encoded arguments) against the errors of the zkPFL
     * contracts and OpenZeppelin; unknown selectors give {@code Unknown(0x…)}.
     */
    public static RevertReason decode(String data) {
        if (data == null || data.length() < 10) {
            return new RevertReason("Empty", List.of());
        }
        String hex = data.startsWith("0x") ? data : "0x" + data;
        String selector = hex.substring(0, 10).toLowerCase();
        String body = "0x" + hex.substring(10);
        if (selector.equals(ERROR_STRING)) {
            List<Type> values = FunctionReturnDecoder.decode(body, List.of(toType(new TypeReference<Utf8String>() {})));
            return new RevertReason("Error", values.stream().map(Type::getValue).map(Object.class::cast).toList());
        }
        if (selector.equals(PANIC)) {
            return new RevertReason("Panic", List.of(new java.math.BigInteger(hex.substring(10), 16)));
        }
        CustomError error = KNOWN.get(selector);
        if (error == null) {
            return new RevertReason("Unknown", List.of(hex));
        }
        List<Type> values = FunctionReturnDecoder.decode(body, error.getParameters());
        List<Object> plain = new ArrayList<>();
        for (Type value : values) {
            plain.add(value.getValue());
        }
        return new RevertReason(error.getName(), plain);
    }

    /** The decoded reason of a failed call or transaction, if its revert data are at hand. */
    public static Optional<RevertReason> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ChainRevertException revert) {
                return Optional.of(revert.reason());
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TypeReference<Type> toType(TypeReference<?> ref) {
        return (TypeReference) ref;
    }

    private static Map<String, CustomError> knownErrors() {
        Map<String, CustomError> errors = new HashMap<>();
        for (Class<?> wrapper : List.of(JobMarket.class, StakingRegistry.class, PlatformToken.class,
                JobRules.class)) {
            for (Field field : wrapper.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == CustomError.class) {
                    try {
                        CustomError error = (CustomError) field.get(null);
                        errors.put(CustomErrorEncoder.encode(error).substring(0, 10).toLowerCase(), error);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return Map.copyOf(errors);
    }

    @Override
    public String toString() {
        return name + args;
    }
}
