package io.zkpfl.engine.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

class EvaluatorKeyTest {

    @Test
    void aKeystoreOpensWithItsPasswordFileAndAWrongPasswordIsOneLineWithoutThePassword(@TempDir Path dir) throws Exception {
        var pair = Keys.createEcKeyPair();
        String file = WalletUtils.generateWalletFile("correct horse", pair, dir.toFile(), false);
        Path keystore = dir.resolve(file);
        Path good = Files.writeString(dir.resolve("good"), "correct horse\n");
        Credentials c = EvaluatorKey.load(Optional.of(keystore.toString()), Optional.of(good.toString()), Optional.empty());
        assertEquals(Credentials.create(pair).getAddress(), c.getAddress());

        Path bad = Files.writeString(dir.resolve("bad"), "battery staple");
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                EvaluatorKey.load(Optional.of(keystore.toString()), Optional.of(bad.toString()), Optional.empty()));
        assertTrue(e.getMessage().contains("does not open with the configured password"), e.getMessage());
        assertFalse(e.getMessage().contains("battery"), "the password never appears in a message");
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void withoutAnyKeyTheMessageSaysWhatToConfigure() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                EvaluatorKey.load(Optional.empty(), Optional.empty(), Optional.empty()));
        assertTrue(e.getMessage().contains("zkpfl.engine.keystore"), e.getMessage());
    }

    @Test
    void aDevAccountIsAnvilsWellKnownKey() {
        assertEquals("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
                EvaluatorKey.load(Optional.empty(), Optional.empty(), Optional.of(0)).getAddress());
    }
}
