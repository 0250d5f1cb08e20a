package io.zkpfl.node;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

/**
 * The operator's Ethereum key: read once from a Web3 Secret Storage keystore file ({@code zkpfl.node.keystore})
 * with its password from {@code zkpfl.node.password-file} or {@code zkpfl.node.password}
 * ({@code ZKPFL_NODE_PASSWORD}). Neither the password nor the key is ever logged.
 */
@ApplicationScoped
public class OperatorIdentity {

    private final Credentials credentials;

    public OperatorIdentity(@ConfigProperty(name = "zkpfl.node.keystore") Optional<String> keystore,
                            @ConfigProperty(name = "zkpfl.node.password-file") Optional<String> passwordFile,
                            @ConfigProperty(name = "zkpfl.node.password") Optional<String> password) {
        this.credentials = load(keystore, passwordFile, password);
    }

    static Credentials load(Optional<String> keystore, Optional<String> passwordFile, Optional<String> password) {
        if (keystore.isEmpty()) {
            throw new IllegalStateException("zkpfl.node.keystore is not set: point it at the operator's keystore file "
                    + "(Web3 Secret Storage JSON); see docs/operators.md");
        }
        Path file = Path.of(keystore.get());
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("zkpfl.node.keystore: cannot read " + file);
        }
        String secret;
        if (passwordFile.isPresent()) {
            try {
                secret = Files.readString(Path.of(passwordFile.get()), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("zkpfl.node.password-file: cannot read " + passwordFile.get());
            }
        } else if (password.isPresent()) {
            secret = password.get();
        } else {
            throw new IllegalStateException("the keystore's password is not set: use zkpfl.node.password-file or "
                    + "ZKPFL_NODE_PASSWORD");
        }
        try {
            return WalletUtils.loadCredentials(secret, file.toFile());
        } catch (CipherException e) {
            throw new IllegalStateException("the keystore " + file + " does not open with the given password");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the keystore " + file + " is not a Web3 Secret Storage file: "
                    + e.getClass().getSimpleName());
        }
    }

    public Credentials credentials() {
        return credentials;
    }

    /** The operator's address, lower case with 0x. */
    public String address() {
        return credentials.getAddress().toLowerCase();
    }
}
