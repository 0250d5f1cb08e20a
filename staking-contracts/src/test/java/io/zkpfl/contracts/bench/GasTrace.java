package io.zkpfl.contracts.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.devstack.chain.AnvilNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Where a mined transaction's gas went, from Anvil's opcode trace ({@code debug_traceTransaction}): the
 * intrinsic part (21,000 and calldata), storage reads and writes, logs, hashing, each precompile (ecrecover,
 * modexp, ecAdd, ecMul, pairing, at any call depth), and the rest (other opcodes, contract calls, memory, refunds).
 */
final class GasTrace {

    static final String[] CATEGORIES = {"intrinsic", "SLOAD", "SSTORE", "LOG", "KECCAK256", "ecrecover", "modexp",
            "ecAdd", "ecMul", "pairing", "rest"};

    private static final ObjectMapper JSON = new ObjectMapper();

    private GasTrace() {
    }

    static Map<String, Long> of(AnvilNode anvil, Web3j web3j, TransactionReceipt receipt) throws Exception {
        JsonNode trace = JSON.readTree(anvil.rpc("debug_traceTransaction", "[\"" + receipt.getTransactionHash()
                + "\", {\"disableStorage\": true, \"disableMemory\": true, \"disableStack\": false}]"));
        JsonNode steps = trace.has("result") ? trace.get("result").get("structLogs") : trace.get("structLogs");
        Map<String, Long> gas = new LinkedHashMap<>();
        for (String c : CATEGORIES) {
            gas.put(c, 0L);
        }
        String input = web3j.ethGetTransactionByHash(receipt.getTransactionHash()).send().getTransaction().orElseThrow()
                .getInput();
        long intrinsic = 21_000;
        for (byte b : Numeric.hexStringToByteArray(input)) {
            intrinsic += b == 0 ? 4 : 16;
        }
        gas.put("intrinsic", intrinsic);
        long counted = intrinsic;
        for (int i = 0; i < steps.size(); i++) {
            JsonNode s = steps.get(i);
            String op = s.get("op").asText();
            long cost = s.get("gasCost").asLong();
            String category = switch (op) {
                case "SLOAD", "SSTORE", "KECCAK256" -> op;
                case "LOG0", "LOG1", "LOG2", "LOG3", "LOG4" -> "LOG";
                case "STATICCALL", "CALL" -> precompile(s.get("stack"), op);
                default -> null;
            };
            if (category != null && (op.equals("STATICCALL") || op.equals("CALL"))) {
                // a precompile runs no opcodes: what the call took is the drop in gas to the next step
                cost = s.get("gas").asLong() - steps.get(i + 1).get("gas").asLong();
            }
            if (category != null) {
                gas.merge(category, cost, Long::sum);
                counted += cost;
            }
        }
        gas.put("rest", receipt.getGasUsed().longValue() - counted);
        return gas;
    }

    private static String precompile(JsonNode stack, String op) {
        String address = stack.get(stack.size() - 2).asText();
        return switch (Numeric.toBigInt(address).intValue()) {
            case 1 -> "ecrecover";
            case 5 -> "modexp";
            case 6 -> "ecAdd";
            case 7 -> "ecMul";
            case 8 -> "pairing";
            default -> null;
        };
    }
}
