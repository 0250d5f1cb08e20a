package io.zkpfl.trainer.owner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.validation.EvaluatorEncryptionKey;
import io.zkpfl.protocol.validation.SealedBundle;
import io.zkpfl.protocol.validation.ValidationBundle;
import io.zkpfl.protocol.validation.ValidationDisclosure;
import io.zkpfl.protocol.validation.ValidationRejectedException;
import io.zkpfl.trainer.data.DatasetException;
import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.IdxFile;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.round.TrainerException;
import io.zkpfl.zk.bn254.G1;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.web3j.utils.Numeric;

/**
 * The owner's side of a job's own validation set (docs/owner.md, docs/adr/0105): reads the set from a folder in the
 * trainers' dataset layout (the {@code t10k} split, with an optional {@code t10k-groups-idx1-ubyte(.gz)} of group
 * ids; without it the label is the group), checks the evaluator's encryption key against the job's evaluator address,
 * seals the canonical bundle to it, adds it to IPFS and keeps {@code bundleHash} and {@code contentKey} in an
 * owner-only file for later disclosure. Nothing here prints a key.
 */
public final class ValidationUpload {

    /** Name prefix of the optional group-id file in the validation folder. */
    public static final String GROUPS_FILE = DatasetFolder.TEST + "-groups-idx1-ubyte";

    private final ValidationBundle bundle;

    private ValidationUpload(ValidationBundle bundle) {
        this.bundle = bundle;
    }

    /**
     * Reads and checks the set ({@code groups} 0 for none).
     *
     * @throws DatasetException with one line when the folder cannot be read, a group id is out of range or the set is
     *     too big
     */
    public static ValidationUpload read(Path dir, int groups) {
        LabelledImages data = new DatasetFolder(dir).test();
        byte[] ids = null;
        if (groups > 0) {
            Path file = find(dir);
            ids = file != null ? IdxFile.readLabels(file) : data.labels().clone();
            if (ids.length != data.count()) {
                throw new DatasetException(file.getFileName() + " holds " + ids.length + " group ids for " + data.count()
                        + " samples");
            }
            for (int i = 0; i < ids.length; i++) {
                if ((ids[i] & 0xff) >= groups) {
                    throw new DatasetException("sample " + i + " is in group " + (ids[i] & 0xff) + " (" + (file != null
                            ? file.getFileName().toString() : "its label") + "), outside the " + groups + " groups of --groups");
                }
            }
        }
        try {
            return new ValidationUpload(new ValidationBundle(data.rows(), data.cols(), data.pixels(), data.labels(), ids,
                    groups));
        } catch (IllegalArgumentException e) {
            throw new DatasetException("the validation set in " + dir + " cannot be used: " + e.getMessage());
        }
    }

    private static Path find(Path dir) {
        Path gz = dir.resolve(GROUPS_FILE + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(GROUPS_FILE);
        return Files.isRegularFile(plain) ? plain : null;
    }

    public ValidationBundle bundle() {
        return bundle;
    }

    /**
     * The evaluator's encryption key from its engine, once its signature is checked to be the evaluator's own.
     *
     * @throws TrainerException refused when the statement is not signed by {@code evaluator} on {@code chainId}
     */
    public static G1 evaluatorKey(ServiceApi engine, long chainId, String evaluator) {
        JsonNode k = engine.get("/api/v1/evaluator/key");
        EvaluatorEncryptionKey.Statement st = new EvaluatorEncryptionKey.Statement(k.path("chainId").asLong(),
                k.path("evaluator").asText(), k.path("publicKey").asText(), k.path("message").asText(),
                k.path("signature").asText());
        try {
            return st.verify(chainId, evaluator);
        } catch (ValidationRejectedException e) {
            throw TrainerException.refused("the encryption key at " + engine.base() + " is not the job's evaluator's: "
                    + e.getMessage() + "; nothing was sealed to it");
        }
    }

    /** The manifest's validation object and where the disclosure file is. */
    public record Uploaded(String cid, byte[] commitment, int groups, Path keyFile) {
        public ObjectNode toJson(ObjectNode job) {
            ObjectNode v = job.putObject("validation");
            v.put("cid", cid).put("commitment", Numeric.toHexString(commitment));
            if (groups > 0) {
                v.put("groups", groups);
            }
            return v;
        }
    }

    /**
     * Seals the set to {@code evaluatorKey}, adds it to IPFS and writes the disclosure file {@code keyFile} (0600; an
     * existing file is never overwritten).
     */
    public Uploaded seal(G1 evaluatorKey, KuboClient ipfs, Path keyFile) {
        if (Files.exists(keyFile)) {
            throw TrainerException.refused("the validation key file " + keyFile + " already exists; choose another with "
                    + "--validation-key-file");
        }
        SealedBundle.Sealed sealed = SealedBundle.seal(bundle.toBytes(), evaluatorKey, new SecureRandom());
        Cid cid;
        try {
            cid = ipfs.add(sealed.bytes());
        } catch (IOException e) {
            throw TrainerException.unavailable("the sealed validation set cannot be added to IPFS: " + e.getMessage(), e);
        }
        try {
            new ValidationDisclosure(cid.toString(), sealed.commitment(), bundle.groupCount(), sealed.bundleHash(),
                    sealed.contentKey()).write(keyFile);
        } catch (IOException e) {
            throw new DatasetException("cannot write the validation key file " + keyFile + ": " + e.getMessage());
        }
        return new Uploaded(cid.toString(), sealed.commitment(), bundle.groupCount(), keyFile);
    }
}
