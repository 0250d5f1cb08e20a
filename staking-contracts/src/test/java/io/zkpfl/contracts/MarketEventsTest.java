package io.zkpfl.contracts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * {@link MarketEvents#decode} on logs built here from the events' Solidity signatures and web3j's ABI encoder, not
 * from the generated wrappers the decoder uses.
 */
class MarketEventsTest {

    private static final String TRAINER = "0x00000000000000000000000000000000000000a1";
    private static final String NODE = "0x00000000000000000000000000000000000000b2";

    private static String topic(String signature) {
        return Hash.sha3String(signature);
    }

    private static String word(BigInteger v) {
        return Numeric.toHexStringWithPrefixZeroPadded(v, 64);
    }

    private static String word(String address) {
        return word(Numeric.toBigInt(address));
    }

    @SuppressWarnings("rawtypes")
    private static Log log(long block, List<String> topics, List<Type> data) {
        Log log = new Log();
        log.setTopics(new ArrayList<>(topics));
        log.setData("0x" + FunctionEncoder.encodeConstructor(data));
        log.setBlockNumber(Numeric.encodeQuantity(BigInteger.valueOf(block)));
        log.setTransactionHash("0x" + "11".repeat(32));
        return log;
    }

    @Test
    void aRoundCommitDecodesToItsRecordWithTheIndexedTrainer() {
        byte[] manifest = Hash.sha3("manifest".getBytes(StandardCharsets.UTF_8));
        List<BigInteger> points = List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(7), BigInteger.valueOf(9));
        Log log = log(42, List.of(topic("RoundCommitted(uint256,uint16,uint16,address,uint256,uint256[],bytes32,uint32)"),
                        word(BigInteger.valueOf(5)), word(TRAINER)),
                List.of(new Uint16(3), new Uint16(1), new Uint256(2),
                        new DynamicArray<>(Uint256.class, points.stream().map(Uint256::new).toList()),
                        new Bytes32(manifest), new Uint32(96)));
        var e = (MarketEvent.RoundCommitted) MarketEvents.decode(log).orElseThrow();
        assertEquals(BigInteger.valueOf(5), e.jobId());
        assertEquals(42, e.block());
        assertEquals(3, e.round());
        assertEquals(1, e.attempt());
        assertEquals(TRAINER, e.trainer().toLowerCase());
        assertEquals(2, e.index());
        assertEquals(points, e.points());
        assertArrayEquals(manifest, e.manifest());
        assertEquals(96, e.samples());
    }

    @Test
    void aRevealCarriesItsCidBytesAndTheNode() {
        byte[] cid = Numeric.hexStringToByteArray("0x01551220" + "ab".repeat(32));
        Log log = log(7, List.of(topic("PartialRevealed(uint256,uint16,uint16,address,bytes)"), word(BigInteger.TEN),
                word(NODE)), List.of(new Uint16(0), new Uint16(2), new DynamicBytes(cid)));
        var e = (MarketEvent.PartialRevealed) MarketEvents.decode(log).orElseThrow();
        assertEquals(new MarketEvent.PartialRevealed(BigInteger.TEN, 7, 0, 2, e.node(), e.cid()), e);
        assertEquals(NODE, e.node().toLowerCase());
        assertArrayEquals(cid, e.cid());
    }

    @Test
    void aFinishedJobsStatusIsTheEnumInSolidityOrder() {
        String finished = topic("JobFinished(uint256,uint8,uint256)");
        var completed = MarketEvents.decode(log(1, List.of(finished, word(BigInteger.ONE)),
                List.of(new Uint8(2), new Uint256(300)))).orElseThrow();
        assertEquals(new MarketEvent.JobFinished(BigInteger.ONE, 1, JobState.Status.COMPLETED, BigInteger.valueOf(300)),
                completed);
        var failed = (MarketEvent.JobFinished) MarketEvents.decode(log(1, List.of(finished, word(BigInteger.ONE)),
                List.of(new Uint8(3), new Uint256(0)))).orElseThrow();
        assertEquals(JobState.Status.FAILED, failed.status());
    }

    @Test
    void aPaidRoundKeepsTheModelHashAndPool() {
        byte[] model = Hash.sha3("w'".getBytes(StandardCharsets.UTF_8));
        Log log = log(9, List.of(topic("RoundPaid(uint256,uint16,bytes32,uint32,uint256,uint256)"), word(BigInteger.TWO)),
                List.of(new Uint16(4), new Bytes32(model), new Uint32(912_345), new Uint256(1_000), new Uint256(640)));
        var e = (MarketEvent.RoundPaid) MarketEvents.decode(log).orElseThrow();
        assertEquals(4, e.round());
        assertEquals(912_345, e.accuracyPpm());
        assertEquals(BigInteger.valueOf(640), e.paid());
        assertEquals(BigInteger.valueOf(1_000), e.pool());
        assertArrayEquals(model, e.model());
    }

    @Test
    void theIncludedSetAndADeadlineMoveDecode() {
        Log included = log(3, List.of(topic("IncludedSetFixed(uint256,uint16,uint16,address[],uint64)"), word(BigInteger.ONE)),
                List.of(new Uint16(0), new Uint16(0), new DynamicArray<>(Address.class, List.of(new Address(TRAINER),
                        new Address(NODE))), new Uint64(200)));
        var e = (MarketEvent.IncludedSetFixed) MarketEvents.decode(included).orElseThrow();
        assertEquals(List.of(TRAINER, NODE), e.included().stream().map(String::toLowerCase).toList());
        assertEquals(200, e.sampleSum());
        Log closed = log(3, List.of(topic("ComplaintsClosed(uint256,uint16,uint16,uint64,uint64,uint64)"),
                word(BigInteger.ONE)), List.of(new Uint16(0), new Uint16(1), new Uint64(100), new Uint64(110), new Uint64(120)));
        assertEquals(new MarketEvent.ComplaintsClosed(BigInteger.ONE, 3, 0, 1, 100, 110, 120),
                MarketEvents.decode(closed).orElseThrow());
    }

    @Test
    void logsOfOtherEventsOrWithoutTopicsAreSkipped() {
        Log claimed = log(1, List.of(topic("Claimed(address,address,uint256)"), word(TRAINER), word(NODE)),
                List.of(new Uint256(1)));
        assertTrue(MarketEvents.decode(claimed).isEmpty(), "Claimed has no record");
        Log bare = log(1, List.of(), List.of());
        assertTrue(MarketEvents.decode(bare).isEmpty());
    }

    @Test
    void everyMarketEventRecordHasTheTopicOfItsSolidityEvent() {
        for (Class<?> type : MarketEvent.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            Class<? extends MarketEvent> event = (Class<? extends MarketEvent>) type;
            assertDoesNotThrow(() -> MarketEvents.topic(event), type.getSimpleName());
        }
        assertEquals(topic("RoundKeyPosted(uint256,uint16,address,uint256,uint256,uint256)"),
                MarketEvents.topic(MarketEvent.RoundKeyPosted.class));
        assertEquals(topic("DrawDeferred(uint256,uint256)"), MarketEvents.topic(MarketEvent.DrawDeferred.class));
        assertThrows(IllegalArgumentException.class, () -> MarketEvents.topic(MarketEvent.class));
    }
}
