package io.zkpfl.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.devstack.demo.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The event index against the chain read directly: restarted mid-way it neither loses nor repeats an event, and after
 * a reorganisation of depth 3 ({@code anvil_reorg}) it holds exactly the events of the new chain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndexIT {

    private EngineStack s;
    private ServiceProcess engine;

    @BeforeAll
    void start() {
        s = EngineStack.start(3, 0, "index");
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (s != null) {
            s.close();
        }
    }

    /** (block, log index, tx) of every platform log on the chain now, in order. */
    private List<String> chainLogs(long to) {
        try {
            EthLog logs = s.web3j.ethGetLogs(new EthFilter(DefaultBlockParameter.valueOf(BigInteger.ZERO),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
                    List.of(s.addresses.market(), s.addresses.registry()))).send();
            List<String> out = new ArrayList<>();
            for (EthLog.LogResult<?> r : logs.getLogs()) {
                Log l = (Log) r.get();
                out.add(l.getBlockNumber() + "/" + l.getLogIndex() + "/" + l.getTransactionHash());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same triples as the audit API lists them, page by page. */
    private List<String> indexed() {
        List<String> out = new ArrayList<>();
        String after = "";
        do {
            JsonNode page = s.getJson(engine, "/api/v1/audit/events?limit=25&after=" + after);
            for (JsonNode e : page.get("items")) {
                out.add(e.get("block").asLong() + "/" + e.get("logIndex").asInt() + "/" + e.get("tx").asText());
            }
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
        return out;
    }

    private long nextBlock() {
        return s.getJson(engine, "/api/v1/audit/index").get("nextBlock").asLong();
    }

    @Test
    @Order(1)
    void anIndexRestartedMidWayLosesAndRepeatsNothing() {
        for (int i = 0; i < 12; i++) {
            s.stakedTrainer("index-trainer-" + i);
        }
        long head = s.blockNumber();
        // small batches, slow passes: the index is still catching up when it is killed
        Map<String, String> slow = Map.of("zkpfl.index.batch-blocks", "4", "zkpfl.index.batches-per-pass", "1",
                "zkpfl.index.confirmations", "0", "zkpfl.engine.enabled", "false");
        engine = s.startEngine(slow);
        EngineStack.await("the index to pass block 10", Duration.ofSeconds(60), () -> nextBlock() > 10);
        long reached = nextBlock();
        EngineStack.kill(engine);
        assertTrue(reached <= head, "killed mid-way: reached " + reached + " of " + head);
        engine = s.startEngine(Map.of("zkpfl.index.confirmations", "0", "zkpfl.engine.enabled", "false"));
        EngineStack.await("the index to reach the head", Duration.ofSeconds(60), () -> nextBlock() > head);
        List<String> chain = chainLogs(head);
        List<String> index = indexed();
        assertFalse(chain.isEmpty());
        assertEquals(chain, index, "the index holds each event of the chain once, in chain order");
        JsonNode slashes = s.getJson(engine, "/api/v1/audit/events?name=TrainerStaked&limit=100");
        assertEquals(12, slashes.get("items").size());
    }

    @Test
    @Order(2)
    void aReorganisationOfDepthThreeIsReplayedFromTheForkPoint() {
        // three blocks, each with a staking event, indexed at once (no confirmation depth)
        for (int i = 0; i < 3; i++) {
            s.stakedTrainer("reorged-" + i);
        }
        long head = s.blockNumber();
        EngineStack.await("the index to reach the head", Duration.ofSeconds(60), () -> nextBlock() > head);
        List<String> before = indexed();
        assertEquals(chainLogs(head), before);
        // the last three blocks (the last trainer's mint, approve and stake) are replaced by empty ones
        s.anvil.rpc("anvil_reorg", "[3, []]");
        long newHead = s.blockNumber();
        assertEquals(head, newHead, "a reorg of depth 3 keeps the height");
        List<String> chainNow = chainLogs(newHead);
        assertTrue(chainNow.size() < before.size(), "the reorg removed the last stake's events");
        s.stakedTrainer("after-reorg");
        long head2 = s.blockNumber();
        EngineStack.await("the index to replay past the fork", Duration.ofSeconds(60),
                () -> nextBlock() > head2 && indexed().equals(chainLogs(head2)));
        assertEquals(chainLogs(head2), indexed());
        String metrics = s.get(engine, "/q/metrics").body();
        assertTrue(metrics.contains("zkpfl_index_reorgs_total 1.0"), "one reorganisation counted");
    }
}
