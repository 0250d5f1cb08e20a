package io.zkpfl.engine.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.engine.chain.EngineChain;
import io.zkpfl.engine.index.AbiEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * A job's round events read straight from the chain (not from the index, which lags by its confirmation depth):
 * the reveals posted for an attempt, the trainers' commits, and the transaction that paid a round.
 */
public final class ChainRounds {

    /** A decoded event with where it was mined. */
    public record Event(String name, ObjectNode args, String txHash, long block) {
    }

    private final EngineChain chain;
    private final AbiEvents abi;

    public ChainRounds(EngineChain chain) {
        this.chain = chain;
        Map<String, String> contracts = new LinkedHashMap<>();
        contracts.put("JobMarket", chain.addresses().market());
        this.abi = new AbiEvents(contracts);
    }

    /** Every {@code name} event of {@code job}, in chain order. */
    public List<Event> events(BigInteger job, String name) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.ZERO), DefaultBlockParameterName.LATEST,
                chain.addresses().market());
        filter.addSingleTopic(abi.topic("JobMarket", name));
        filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(job, 64));
        try {
            EthLog response = chain.web3j().ethGetLogs(filter).send();
            if (response.hasError()) {
                throw new IllegalStateException("eth_getLogs failed: " + response.getError().getMessage());
            }
            List<Event> out = new ArrayList<>();
            for (EthLog.LogResult<?> r : response.getLogs()) {
                Log log = (Log) r.get();
                abi.decode(log).ifPresent(d -> out.add(new Event(d.name(), d.args(), log.getTransactionHash(),
                        log.getBlockNumber().longValue())));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("eth_getLogs failed", e);
        }
    }

    /** The {@code name} events of one attempt. */
    public List<Event> attemptEvents(BigInteger job, int round, int attempt, String name) {
        return events(job, name).stream()
                .filter(e -> e.args().get("round").asInt() == round && e.args().get("attempt").asInt() == attempt)
                .toList();
    }

    public AbiEvents abi() {
        return abi;
    }
}
