package io.zkpfl.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

/** The operator key comes only from a keystore and its password, and every failure is one line without the secret. */
class OperatorIdentityTest {

    static final String PASSWORD = "s3cret-operator-password";
    static final Credentials KEY = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    @TempDir
    static Path dir;
    static Path keystore;

    @BeforeAll
    static void writeKeystore() throws Exception {
        keystore = dir.resolve(WalletUtils.generateWalletFile(PASSWORD, KEY.getEcKeyPair(), dir.toFile(), false));
    }

    @Test
    void theKeystoreOpensWithThePasswordFromAFileOrTheEnvironment() throws Exception {
        Path pw = dir.resolve("password");
        Files.writeString(pw, PASSWORD + "\n");
        assertEquals(KEY.getAddress(), OperatorIdentity.load(Optional.of(keystore.toString()), Optional.of(pw.toString()),
                Optional.empty()).getAddress());
        assertEquals(KEY.getAddress(), OperatorIdentity.load(Optional.of(keystore.toString()), Optional.empty(),
                Optional.of(PASSWORD)).getAddress());
    }

    @Test
    void aWrongPasswordIsOneLineThatDoesNotRepeatIt() {
        var e = assertThrows(IllegalStateException.class, () -> OperatorIdentity.load(Optional.of(keystore.toString()),
                Optional.empty(), Optional.of("guess")));
        assertTrue(e.getMessage().contains("does not open with the given password"), e.getMessage());
        assertFalse(e.getMessage().contains("guess"));
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void missingSettingsNameWhatToSet() {
        var noKeystore = assertThrows(IllegalStateException.class,
                () -> OperatorIdentity.load(Optional.empty(), Optional.empty(), Optional.of(PASSWORD)));
        assertTrue(noKeystore.getMessage().contains("zkpfl.node.keystore"), noKeystore.getMessage());
        var noPassword = assertThrows(IllegalStateException.class,
                () -> OperatorIdentity.load(Optional.of(keystore.toString()), Optional.empty(), Optional.empty()));
        assertTrue(noPassword.getMessage().contains("ZKPFL_NODE_PASSWORD"), noPassword.getMessage());
        var notAKeystore = assertThrows(IllegalStateException.class, () -> {
            Path junk = Files.writeString(dir.resolve("junk.json"), "{\"hello\":1}");
            OperatorIdentity.load(Optional.of(junk.toString()), Optional.empty(), Optional.of(PASSWORD));
        });
        assertTrue(notAKeystore.getMessage().contains("not a Web3 Secret Storage file")
                || notAKeystore.getMessage().contains("does not open"), notAKeystore.getMessage());
    }
}
