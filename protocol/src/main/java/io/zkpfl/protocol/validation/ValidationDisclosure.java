package io.zkpfl.protocol.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.web3j.utils.Numeric;

/**
 * What a job owner keeps to disclose the validation set later (docs/owner.md): the sealed bundle's CID, the
 * commitment, the group count, {@code bundleHash} and {@code contentKey}. Written as JSON with owner-only permissions
 * (0600); {@link #toString()} shows no secret.
 */
public record ValidationDisclosure(String cid, byte[] commitment, int groups, byte[] bundleHash, byte[] contentKey) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ValidationDisclosure {
        if (commitment.length != 32 || bundleHash.length != 32 || contentKey.length != 32) {
            throw new IllegalArgumentException("commitment, bundleHash and contentKey must be 32 bytes each");
        }
    }

    /** Writes the file, readable and writable by its owner only; refuses to overwrite one. */
    public void write(Path file) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", 1);
        n.put("cid", cid);
        n.put("commitment", Numeric.toHexString(commitment));
        n.put("groups", groups);
        n.put("bundleHash", Numeric.toHexString(bundleHash));
        n.put("contentKey", Numeric.toHexString(contentKey));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n",
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Reads a file {@link #write} wrote.
     *
     * @throws IOException if it cannot be read or is not such a file (the message names the file, not its content)
     */
    public static ValidationDisclosure read(Path file) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IOException("cannot read the validation key file " + file + ": " + e.getMessage());
        }
        try {
            return new ValidationDisclosure(n.path("cid").asText(), bytes32(n, "commitment"), n.path("groups").asInt(),
                    bytes32(n, "bundleHash"), bytes32(n, "contentKey"));
        } catch (RuntimeException e) {
            throw new IOException("the validation key file " + file + " is not one `job post --validation` wrote: "
                    + e.getMessage());
        }
    }

    private static byte[] bytes32(JsonNode n, String field) {
        byte[] b = Numeric.hexStringToByteArray(n.path(field).asText(""));
        if (b.length != 32) {
            throw new IllegalArgumentException(field + " is not 32 bytes of hex");
        }
        return b;
    }

    @Override
    public String toString() {
        return "ValidationDisclosure[cid=" + cid + ", commitment=" + Numeric.toHexString(commitment) + ", groups="
                + groups + ", secrets redacted]";
    }
}
