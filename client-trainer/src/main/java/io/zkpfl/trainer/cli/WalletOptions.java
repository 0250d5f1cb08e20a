package io.zkpfl.trainer.cli;

import io.zkpfl.trainer.wallet.Keystore;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Option;

/** The trainer's keystore and where its password comes from (never an argument, never printed). */
final class WalletOptions {

    @Option(names = "--keystore", paramLabel = "FILE", defaultValue = "${env:ZKPFL_KEYSTORE}",
            description = "Web3 Secret Storage keystore (env ZKPFL_KEYSTORE; default: ~/.zkpfl/trainer/keystore.json)")
    Path keystore;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "file whose first line is the keystore password; else env ZKPFL_WALLET_PASSWORD, else a prompt")
    Path passwordFile;

    Path keystore() {
        return keystore != null ? keystore : Keystore.defaultPath();
    }

    String password(boolean confirm) throws IOException {
        if (passwordFile != null) {
            if (!Files.isRegularFile(passwordFile)) {
                throw new IllegalArgumentException("password file " + passwordFile + " does not exist");
            }
            String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }
        String env = System.getenv("ZKPFL_WALLET_PASSWORD");
        if (env != null) {
            return env;
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no wallet password: give --password-file FILE or set ZKPFL_WALLET_PASSWORD");
        }
        char[] first = console.readPassword("keystore password: ");
        if (first == null) {
            throw new IllegalArgumentException("no wallet password given");
        }
        if (confirm) {
            char[] again = console.readPassword("again: ");
            if (again == null || !new String(first).equals(new String(again))) {
                throw new IllegalArgumentException("the two passwords differ");
            }
        }
        return new String(first);
    }

    Credentials unlock() throws IOException {
        return Keystore.unlock(keystore(), password(false));
    }
}
