package io.zkpfl.engine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.EstimatingGasProvider;
import io.zkpfl.contracts.PlatformAddresses;
import io.zkpfl.engine.index.AbiEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;

/** Read-only access to a deployment for the offline commands: contract reads and every platform event, decoded. */
final class ChainReader implements AutoCloseable {

    /** A decoded event with its position. */
    record Event(String contract, String name, ObjectNode args, String tx, long block, int logIndex) {
        BigInteger job() {
            return args.has("jobId") ? new BigInteger(args.get("jobId").asText()) : null;
        }

        int round() {
            return args.get("round").asInt();
        }

        int attempt() {
            return args.get("attempt").asInt();
        }
    }

    final Web3j web3j;
    final ChainClient client;
    final List<Event> events;

    ChainReader(String rpcUrl, long chainId, String market, String registry, String token) {
        this.web3j = Web3j.build(new HttpService(rpcUrl));
        String reader = "0x0000000000000000000000000000000000000001";
        PlatformAddresses addresses = new PlatformAddresses(token, registry, "0x0000000000000000000000000000000000000000",
                market);
        this.client = new ChainClient(web3j, chainId, reader, new ReadonlyTransactionManager(web3j, reader),
                new EstimatingGasProvider(web3j, BigInteger.valueOf(25_000_000)), addresses);
        Map<String, String> contracts = new LinkedHashMap<>();
        contracts.put("JobMarket", market);
        contracts.put("StakingRegistry", registry);
        AbiEvents abi = new AbiEvents(contracts);
        try {
            EthLog logs = web3j.ethGetLogs(new EthFilter(DefaultBlockParameter.valueOf(BigInteger.ZERO),
                    DefaultBlockParameterName.LATEST, List.of(market, registry))).send();
            if (logs.hasError()) {
                throw new IllegalStateException("eth_getLogs failed: " + logs.getError().getMessage());
            }
            List<Event> out = new ArrayList<>();
            for (EthLog.LogResult<?> r : logs.getLogs()) {
                Log l = (Log) r.get();
                abi.decode(l).ifPresent(d -> out.add(new Event(d.contract(), d.name(), d.args(), l.getTransactionHash(),
                        l.getBlockNumber().longValue(), l.getLogIndex().intValue())));
            }
            this.events = out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chain at " + rpcUrl + ": " + e.getMessage(), e);
        }
    }

    List<Event> of(BigInteger job, String name) {
        return events.stream().filter(e -> e.name().equals(name) && job.equals(e.job())).toList();
    }

    List<Event> inTx(String tx, String name) {
        return events.stream().filter(e -> e.tx().equals(tx) && e.name().equals(name)).toList();
    }

    /** The input data of a transaction. */
    String input(String tx) {
        try {
            return web3j.ethGetTransactionByHash(tx).send().getTransaction().orElseThrow().getInput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
