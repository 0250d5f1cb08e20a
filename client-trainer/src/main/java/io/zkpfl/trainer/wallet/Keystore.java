package io.zkpfl.trainer.wallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.trainer.round.TrainerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.WalletUtils;

/**
 * The trainer's key in one Web3 Secret Storage (v3) keystore file, written with web3j's {@link Wallet}: scrypt
 * (standard parameters n = 2^18, or light n = 2^12 for dev and test wallets) and AES-128-CTR. The file is written
 * owner-readable only and never overwritten.
 */
public final class Keystore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Keystore() {
    }

    /** The default keystore: {@code ~/.zkpfl/trainer/keystore.json}. */
    public static Path defaultPath() {
        return Path.of(System.getProperty("user.home"), ".zkpfl", "trainer", "keystore.json");
    }

    /** Creates a keystore at {@code file} for a fresh key; returns the address. */
    public static String create(Path file, String password, boolean light) throws IOException {
        try {
            return write(file, Keys.createEcKeyPair(), password, light);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no key could be generated: " + e.getMessage(), e);
        }
    }

    /** Creates a keystore at {@code file} for an existing private key (hex, with or without 0x); returns the address. */
    public static String importKey(Path file, String privateKeyHex, String password, boolean light) throws IOException {
        String hex = privateKeyHex.strip();
        if (!WalletUtils.isValidPrivateKey(hex)) {
            throw new IllegalArgumentException("the private key is not 32 bytes of hex");
        }
        return write(file, Credentials.create(hex).getEcKeyPair(), password, light);
    }

    private static String write(Path file, ECKeyPair key, String password, boolean light) throws IOException {
        if (Files.exists(file)) {
            throw new IllegalArgumentException("keystore " + file + " already exists; it is never overwritten");
        }
        WalletFile wallet;
        try {
            wallet = light ? Wallet.createLight(password, key) : Wallet.createStandard(password, key);
        } catch (CipherException e) {
            throw new IllegalStateException("the keystore could not be encrypted: " + e.getMessage(), e);
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        byte[] bytes = JSON.writeValueAsBytes(wallet);
        Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            Files.setPosixFilePermissions(file, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the platform's defaults apply
        }
        return Keys.toChecksumAddress(wallet.getAddress());
    }

    /** The address stored in the keystore, read without the password. */
    public static String address(Path file) throws IOException {
        requireExists(file);
        WalletFile wallet = JSON.readValue(file.toFile(), WalletFile.class);
        if (wallet.getAddress() == null) {
            throw new IllegalArgumentException("keystore " + file + " names no address");
        }
        return Keys.toChecksumAddress(wallet.getAddress());
    }

    /**
     * The key, decrypted with {@code password}.
     *
     * @throws TrainerException (refused) when the password is wrong
     */
    public static Credentials unlock(Path file, String password) throws IOException {
        requireExists(file);
        try {
            return WalletUtils.loadCredentials(password, file.toFile());
        } catch (CipherException e) {
            throw TrainerException.refused("wrong password for keystore " + file);
        }
    }

    private static void requireExists(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no keystore at " + file + "; create one with 'client-trainer wallet new'"
                    + " or 'client-trainer wallet import'");
        }
    }
}
