package io.zkpfl.engine.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Array;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Bytes;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.NumericType;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Decodes every event of the zkPFL contracts from their ABI (the {@code .abi} artefacts staking-contracts ships), so
 * the index stores each log with named arguments without a hand-written case per event. This is the audit index's
 * generic JSON view of every contract's logs (the registry's and AccessControl's too); code that acts on market events
 * reads them typed through {@code io.zkpfl.contracts.MarketEvents}. Numbers become decimal
 * strings, addresses lower-case hex, bytes hex; a {@code bytes32} reason or fault also gets its ASCII text.
 */
public final class AbiEvents {

    /** One decoded log. */
    public record Decoded(String contract, String name, ObjectNode args) {
    }

    private record Param(String name, String type, boolean indexed, TypeReference<?> ref) {
    }

    private record EventAbi(String contract, String name, List<Param> params) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** By contract name + topic: both contracts declare AccessControl's RoleGranted, with the same topic. */
    private final Map<String, EventAbi> byTopic = new HashMap<>();
    private final Map<String, String> contractByAddress = new HashMap<>();

    /** @param contracts contract name → deployed address, e.g. JobMarket → 0x… */
    public AbiEvents(Map<String, String> contracts) {
        contracts.forEach((name, address) -> {
            contractByAddress.put(address.toLowerCase(Locale.ROOT), name);
            load(name);
        });
    }

    private void load(String contract) {
        String resource = "io/zkpfl/contracts/artifacts/" + contract + ".abi";
        try (InputStream in = AbiEvents.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the ABI " + resource + " is not on the class path");
            }
            for (JsonNode entry : JSON.readTree(in)) {
                if (!"event".equals(entry.path("type").asText())) {
                    continue;
                }
                List<Param> params = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (JsonNode input : entry.path("inputs")) {
                    String type = input.path("type").asText();
                    boolean indexed = input.path("indexed").asBoolean();
                    types.add(type);
                    params.add(new Param(input.path("name").asText(), type, indexed, reference(type, indexed)));
                }
                String signature = entry.path("name").asText() + "(" + String.join(",", types) + ")";
                byTopic.put(contract + "/" + Hash.sha3String(signature), new EventAbi(contract, entry.path("name").asText(), params));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static TypeReference<?> reference(String type, boolean indexed) {
        try {
            return TypeReference.makeTypeReference(type, indexed, false);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("unsupported ABI type " + type, e);
        }
    }

    /** The log decoded, or empty when it is not an event of a known contract. */
    public Optional<Decoded> decode(Log log) {
        if (log.getTopics() == null || log.getTopics().isEmpty()) {
            return Optional.empty();
        }
        String contract = contractByAddress.get(log.getAddress().toLowerCase(Locale.ROOT));
        EventAbi abi = contract == null ? null : byTopic.get(contract + "/" + log.getTopics().getFirst());
        if (abi == null) {
            return Optional.empty();
        }
        List<TypeReference<Type>> nonIndexed = new ArrayList<>();
        for (Param p : abi.params()) {
            if (!p.indexed()) {
                @SuppressWarnings("unchecked")
                TypeReference<Type> ref = (TypeReference<Type>) p.ref();
                nonIndexed.add(ref);
            }
        }
        List<Type> values = FunctionReturnDecoder.decode(log.getData(), nonIndexed);
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        int topic = 1;
        int data = 0;
        for (Param p : abi.params()) {
            if (p.indexed()) {
                Type v = FunctionReturnDecoder.decodeIndexedValue(log.getTopics().get(topic++), p.ref());
                put(args, p.name(), v);
            } else {
                put(args, p.name(), values.get(data++));
            }
            if (p.type().equals("bytes32") && (p.name().equals("reason") || p.name().equals("fault"))) {
                args.put(p.name() + "Text", text(Numeric.hexStringToByteArray(args.get(p.name()).asText())));
            }
        }
        return Optional.of(new Decoded(contract, abi.name(), args));
    }

    private static void put(ObjectNode node, String name, Type<?> value) {
        node.set(name, json(value));
    }

    @SuppressWarnings("rawtypes")
    private static JsonNode json(Type<?> value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value instanceof NumericType n) {
            return f.textNode(((BigInteger) n.getValue()).toString());
        } else if (value instanceof Address a) {
            return f.textNode(a.getValue().toLowerCase(Locale.ROOT));
        } else if (value instanceof Bool b) {
            return f.booleanNode(b.getValue());
        } else if (value instanceof Bytes b) {
            return f.textNode(Numeric.toHexString(b.getValue()));
        } else if (value instanceof DynamicBytes b) {
            return f.textNode(Numeric.toHexString(b.getValue()));
        } else if (value instanceof Utf8String s) {
            return f.textNode(s.getValue());
        } else if (value instanceof Array arr) {
            ArrayNode out = f.arrayNode();
            for (Object o : arr.getValue()) {
                out.add(json((Type<?>) o));
            }
            return out;
        }
        return f.textNode(String.valueOf(value.getValue()));
    }

    private static String text(byte[] word) {
        int end = 0;
        while (end < word.length && word[end] != 0) {
            end++;
        }
        return new String(word, 0, end, StandardCharsets.US_ASCII);
    }
}
