package io.zkpfl.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * {@code eth_call}s of view functions that return one struct, decoded into the generated wrapper's struct class under
 * any class loader.
 *
 * <p>The wrappers build {@code new TypeReference<JobParams>() {}}, and web3j resolves such a reference with
 * {@code Class.forName(name)} from its own class loader. Where web3j and the wrappers are loaded by different loaders
 * (Quarkus' test and dev class loaders, an application server) that lookup fails with
 * {@code ClassNotFoundException}. A reference made here carries the {@link Class} itself, so nothing is looked up
 * by name; the field-by-field decoding is web3j's own.
 */
public final class StructCalls {

    private StructCalls() {
    }

    /** A type reference to {@code type} that never resolves the class by name. */
    public static <T extends Type<?>> TypeReference<T> reference(Class<T> type) {
        return new TypeReference<>() {
            @Override
            public java.lang.reflect.Type getType() {
                return type;
            }

            @Override
            public Class<T> getClassType() {
                return type;
            }
        };
    }

    /** Decodes the return data {@code output} of a function returning one {@code type}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T extends Type<?>> T decode(String output, Class<T> type) {
        List<Type> values = FunctionReturnDecoder.decode(output, (List) List.of(reference(type)));
        if (values.size() != 1) {
            throw new IllegalStateException("expected one " + type.getSimpleName() + " in the return data, got "
                    + values.size() + " values");
        }
        return (T) values.get(0);
    }

    /**
     * Calls view {@code function(inputs)} of {@code contract} at the latest block and decodes its one struct.
     *
     * @throws IllegalStateException  with the node's message when the call reverts or errs
     * @throws UncheckedIOException   when the node does not answer
     */
    public static <T extends Type<?>> T call(Web3j web3j, String from, String contract, String function,
                                             List<Type> inputs, Class<T> type) {
        String data = FunctionEncoder.encode(new Function(function, inputs, List.of()));
        try {
            EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(from, contract, data),
                    DefaultBlockParameterName.LATEST).send();
            if (call.hasError()) {
                throw new IllegalStateException(function + " failed: " + call.getError().getMessage());
            }
            if (call.getValue() == null || call.getValue().length() <= 2) {
                throw new IllegalStateException(function + " returned nothing: is " + contract + " the contract?");
            }
            return decode(call.getValue(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(function + ": the chain did not answer", e);
        }
    }
}
