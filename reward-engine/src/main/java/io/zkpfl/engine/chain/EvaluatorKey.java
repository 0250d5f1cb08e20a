package io.zkpfl.engine.chain;

import io.zkpfl.protocol.chain.DevChainKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

/**
 * Where the evaluator's signing key comes from: a Web3 Secret Storage keystore (the password in a file or in the
 * environment), or, on dev chains only, one of Anvil's public dev accounts. Nothing here ever logs the key or the
 * password; errors name the file, never its content.
 */
public final class EvaluatorKey {

    /** Environment variable holding the keystore's password when no password file is configured. */
    public static final String PASSWORD_ENV = "ZKPFL_ENGINE_KEYSTORE_PASSWORD";

    private EvaluatorKey() {
    }

    /**
     * @throws IllegalStateException with one readable line when the key cannot be loaded
     */
    public static Credentials load(Optional<String> keystore, Optional<String> passwordFile, Optional<Integer> devAccount) {
        if (keystore.isPresent()) {
            String password = passwordFile.map(EvaluatorKey::readPassword)
                    .or(() -> Optional.ofNullable(System.getenv(PASSWORD_ENV)))
                    .orElseThrow(() -> new IllegalStateException("the keystore " + keystore.get()
                            + " needs a password: set zkpfl.engine.keystore-password-file or " + PASSWORD_ENV));
            try {
                return WalletUtils.loadCredentials(password, keystore.get());
            } catch (CipherException e) {
                throw new IllegalStateException("the keystore " + keystore.get() + " does not open with the configured password");
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the keystore " + keystore.get() + ": " + e.getMessage());
            }
        }
        if (devAccount.isPresent()) {
            return Credentials.create(DevChainKeys.privateKey(devAccount.get()));
        }
        throw new IllegalStateException("no evaluator key: set zkpfl.engine.keystore (with a password file or "
                + PASSWORD_ENV + "), or zkpfl.engine.dev-account on a dev chain");
    }

    private static String readPassword(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the keystore password file " + file + ": " + e.getMessage());
        }
    }
}
