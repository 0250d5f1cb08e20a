package io.zkpfl.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** zkpfl.raft.peers: the committee's Raft addresses by operator address, used instead of registered endpoints. */
class RaftPeersTest {

    static final String NODE5 = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
    static final String NODE6 = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";

    @Test
    void entriesMapLowerCaseAddressesToHostAndPort() {
        Map<String, String> peers = CommitteeRaft.parsePeers(List.of(NODE5 + "=127.0.0.1:40001", " " + NODE6
                + " = node-6.internal:40002 ", ""));
        assertEquals(Map.of(NODE5.toLowerCase(), "127.0.0.1:40001", NODE6.toLowerCase(), "node-6.internal:40002"), peers);
    }

    @Test
    void aMalformedEntryIsRefusedWithALineNamingIt() {
        for (String bad : List.of(NODE5 + "=127.0.0.1", NODE5 + "=127.0.0.1:0", NODE5 + "=127.0.0.1:http",
                "0x1234=127.0.0.1:40001", "127.0.0.1:40001")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CommitteeRaft.parsePeers(List.of(bad)));
            assertTrue(e.getMessage().startsWith("zkpfl.raft.peers: '" + bad + "' is not address=host:port"),
                    e.getMessage());
        }
    }
}
