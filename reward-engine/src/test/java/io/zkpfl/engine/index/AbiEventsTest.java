package io.zkpfl.engine.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

class AbiEventsTest {

    private static final String MARKET = "0x00000000000000000000000000000000000000aa";
    private static final String REGISTRY = "0x00000000000000000000000000000000000000bb";
    private final AbiEvents abi = new AbiEvents(Map.of("JobMarket", MARKET, "StakingRegistry", REGISTRY));

    private static Log log(String address, List<String> topics, String data) {
        Log l = new Log();
        l.setAddress(address);
        l.setTopics(topics);
        l.setData(data);
        return l;
    }

    private static String word(BigInteger v) {
        return Numeric.toHexStringNoPrefixZeroPadded(v, 64);
    }

    @Test
    void roleGrantedIsDecodedForWhicheverContractEmittedIt() {
        String topic = EventEncoder.encode(io.zkpfl.contracts.generated.JobMarket.ROLEGRANTED_EVENT);
        List<String> topics = List.of(topic, "0x" + word(BigInteger.ZERO),
                "0x" + word(new BigInteger("f39fd6e51aad88f6f4ce6ab8827279cfffb92266", 16)), "0x" + word(BigInteger.ONE));
        assertEquals("JobMarket", abi.decode(log(MARKET, topics, "0x")).orElseThrow().contract());
        var d = abi.decode(log(REGISTRY, topics, "0x")).orElseThrow();
        assertEquals("StakingRegistry", d.contract());
        assertEquals("RoleGranted", d.name());
        assertEquals("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", d.args().get("account").asText());
        assertTrue(abi.decode(log("0x00000000000000000000000000000000000000cc", topics, "0x")).isEmpty(),
                "another contract's log is not ours");
    }

    @Test
    void roundPaidCarriesItsWeightsHashAccuracyAndAmounts() {
        String topic = EventEncoder.encode(io.zkpfl.contracts.generated.JobMarket.ROUNDPAID_EVENT);
        byte[] model = Numeric.hexStringToByteArray("0x" + "ab".repeat(32));
        String data = "0x" + TypeEncoder.encode(new Uint16(2)) + TypeEncoder.encode(new Bytes32(model))
                + TypeEncoder.encode(new Uint32(654_321)) + TypeEncoder.encode(new Uint256(1000))
                + TypeEncoder.encode(new Uint256(799));
        var d = abi.decode(log(MARKET, List.of(topic, "0x" + word(BigInteger.valueOf(7))), data)).orElseThrow();
        assertEquals("RoundPaid", d.name());
        assertEquals("7", d.args().get("jobId").asText());
        assertEquals(2, d.args().get("round").asInt());
        assertEquals("0x" + "ab".repeat(32), d.args().get("model").asText());
        assertEquals(654_321, d.args().get("accuracy").asInt());
        assertEquals("799", d.args().get("paid").asText());
    }

    @Test
    void aSlashReasonIsAlsoGivenAsText() {
        String topic = EventEncoder.encode(io.zkpfl.contracts.generated.StakingRegistry.SLASHED_EVENT);
        byte[] reason = new byte[32];
        System.arraycopy("missed-reveal".getBytes(), 0, reason, 0, 13);
        String data = "0x" + TypeEncoder.encode(new Uint256(50)) + TypeEncoder.encode(new Bytes32(reason));
        var d = abi.decode(log(REGISTRY, List.of(topic, "0x" + word(BigInteger.TEN)), data)).orElseThrow();
        assertEquals("missed-reveal", d.args().get("reasonText").asText());
        assertEquals("50", d.args().get("amount").asText());
    }
}
