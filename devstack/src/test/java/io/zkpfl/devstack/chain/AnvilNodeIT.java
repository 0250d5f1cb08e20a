package io.zkpfl.devstack.chain;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnvilNodeIT {

    private static AnvilNode node;

    @BeforeAll
    static void startNode() {
        node = AnvilNode.start();
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Test
    void answersChainId31337OnLoopback() {
        assertEquals(31337L, node.chainId());
        assertEquals("\"0x7a69\"", node.rpc("eth_chainId", "[]"));
        assertTrue(node.rpcUrl().startsWith("http://127.0.0.1:"), node.rpcUrl());
    }

    @Test
    void devAccountZeroHoldsTenThousandEther() {
        String hex = node.rpc("eth_getBalance", "[\"" + DevAccounts.address(0) + "\", \"latest\"]").replace("\"", "");
        BigInteger wei = new BigInteger(hex.substring(2), 16);
        assertEquals(BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(10_000)), wei);
    }

    @Test
    void nodeUnlocksExactlyTheListedDevAccounts() {
        String accounts = node.rpc("eth_accounts", "[]").toLowerCase(Locale.ROOT);
        for (int i = 0; i < DevAccounts.COUNT; i++) {
            assertTrue(accounts.contains(DevAccounts.address(i).toLowerCase(Locale.ROOT)), "account " + i);
        }
    }

    @Test
    void blockGasLimitIsLargeEnoughForContractTests() {
        String block = node.rpc("eth_getBlockByNumber", "[\"latest\", false]");
        String gasLimit = block.replaceAll(".*\"gasLimit\":\"(0x[0-9a-f]+)\".*", "$1");
        assertEquals(60_000_000L, Long.decode(gasLimit));
    }

    @Test
    void privateKeysDeriveToTheChecksummedAddressesPerEthers() throws Exception {
        // ethers (npm) is the independent reference for secp256k1 + keccak + EIP-55.
        StringBuilder script = new StringBuilder("const {Wallet}=require('ethers');");
        for (int i = 0; i < DevAccounts.COUNT; i++) {
            script.append("console.log(new Wallet('").append(DevAccounts.privateKey(i)).append("').address);");
        }
        Path modules = NodeModules.locate().dir();
        Process p = new ProcessBuilder("node", "-e", script.toString())
                .directory(modules.getParent().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < DevAccounts.COUNT; i++) {
            expected.add(DevAccounts.address(i));
        }
        assertEquals(expected, out.lines().toList());
    }

    @Test
    void customChainIdAndBlockTimeAreApplied() {
        try (AnvilNode custom = AnvilNode.start(AnvilOptions.defaults().withChainId(1337)
                .withBlockTime(Duration.ofSeconds(1)).withAccounts(2).withCodeSizeLimit(100_000))) {
            assertEquals("\"0x539\"", custom.rpc("eth_chainId", "[]"));
            String accounts = custom.rpc("eth_accounts", "[]");
            assertEquals(2, accounts.split(",").length, accounts);
        }
    }

    @Test
    void closeKillsTheProcessAndFreesThePort() throws IOException {
        AnvilNode temp = AnvilNode.start();
        long pid = temp.pid();
        int port = temp.port();
        assertTrue(temp.isAlive());
        temp.close();
        temp.close();
        assertFalse(temp.isAlive());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " alive");
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, s.getLocalPort());
        }
    }

    @Test
    void missingInstallationSaysToRunNpmCi(@TempDir Path empty) {
        String before = System.getProperty(NodeModules.PROPERTY);
        System.setProperty(NodeModules.PROPERTY, empty.toString());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, AnvilNode::start);
            assertTrue(e.getMessage().contains("run npm ci"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(NodeModules.PROPERTY);
            } else {
                System.setProperty(NodeModules.PROPERTY, before);
            }
        }
    }

    @Test
    void invalidOptionsAreRejectedBeforeStarting() {
        assertThrows(IllegalArgumentException.class, () -> AnvilOptions.defaults().withChainId(0));
        assertThrows(IllegalArgumentException.class, () -> AnvilOptions.defaults().withAccounts(0));
        assertThrows(IllegalArgumentException.class, () -> AnvilOptions.defaults().withBlockTime(Duration.ZERO));
    }
}
