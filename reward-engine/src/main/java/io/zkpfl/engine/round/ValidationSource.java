package io.zkpfl.engine.round;

import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.engine.chain.EngineChain;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.validation.SealedBundle;
import io.zkpfl.protocol.validation.ValidationBundle;
import io.zkpfl.protocol.validation.ValidationRejectedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.web3j.utils.Numeric;

/**
 * The validation set of each job (docs/adr/0105): the default set, or the owner's sealed bundle named by the job's
 * manifest, fetched from IPFS by CID, opened with this evaluator's encryption key and used only if
 * {@code keccak256(abi.encode(keccak256(bundle), contentKey))} is the manifest's commitment and its group count the
 * manifest's. A refusal is final: it is stored with its reason and logged once; a fetch that fails is retried on the
 * next pass. The decrypted set stays in memory only.
 */
@ApplicationScoped
public class ValidationSource {

    private static final Logger LOG = Logger.getLogger(ValidationSource.class);

    private final ModelStore store;
    private final EngineChain chain;
    private final KuboClient ipfs;
    private final ValidationSet defaultSet;
    private final Map<BigInteger, ValidationSet> owners = new ConcurrentHashMap<>();

    public ValidationSource(ModelStore store, EngineChain chain, @ConfigProperty(name = "zkpfl.ipfs.api-url") String ipfsUrl,
                            @ConfigProperty(name = "zkpfl.engine.validation-dir") String validationDir) {
        this.store = store;
        this.chain = chain;
        this.ipfs = KuboClient.create(ipfsUrl);
        this.defaultSet = new ValidationSet(Path.of(validationDir));
    }

    /** The evaluator's default set (no groups). */
    public ValidationSet defaultSet() {
        return defaultSet;
    }

    /** A job's validation state as the audit API shows it. */
    public record State(String source, String cid, String commitment, int groups, String status, String detail) {
    }

    /** What this engine makes of the job's validation set now (fetching and checking it if not done yet). */
    public State state(ModelStore.JobRow job) {
        var v = job.ownerValidation();
        if (v.isEmpty()) {
            return new State("default", null, null, 0, "accepted", "the evaluator's default set (Fashion-MNIST test split)");
        }
        try {
            ValidationSet set = forJob(job);
            return new State("owner", v.get().cid(), v.get().commitment(), v.get().groups(), "accepted",
                    "the owner's sealed set opens with this evaluator's key and matches the commitment ("
                            + set.groups() + " groups)");
        } catch (ValidationRefusedException e) {
            return new State("owner", v.get().cid(), v.get().commitment(), v.get().groups(), "refused", e.getMessage());
        } catch (RuntimeException e) {
            return new State("owner", v.get().cid(), v.get().commitment(), v.get().groups(), "pending", e.getMessage());
        }
    }

    /**
     * The set to measure {@code job}'s models on.
     *
     * @throws ValidationRefusedException if the owner's set is refused for good
     * @throws IllegalStateException if it cannot be fetched now
     */
    public ValidationSet forJob(ModelStore.JobRow job) {
        var v = job.ownerValidation();
        ValidationSet cached = owners.get(job.job());
        if (cached != null) {
            return cached;
        }
        String refused = job.validationError() != null ? job.validationError()
                : store.job(job.job()).map(ModelStore.JobRow::validationError).orElse(null);
        if (refused != null) {
            throw new ValidationRefusedException(refused);
        }
        // the owner signed the commitment and the group count on chain (ADR 0100): the manifest must say the same
        JobParams terms = chain.client().market().jobParams(job.job());
        byte[] committed = terms.validationCommitment;
        int groups = terms.groups.intValue();
        boolean ownSet = new BigInteger(1, committed).signum() != 0;
        if (v.isEmpty() != !ownSet || v.isPresent() && (!Arrays.equals(committed, Numeric.hexStringToByteArray(v.get().commitment()))
                || groups != v.get().groups())) {
            String reason = "the job's manifest names " + (v.isEmpty() ? "the default validation set"
                    : "validation set " + v.get().commitment() + " with " + v.get().groups() + " groups")
                    + " but its owner signed " + (ownSet ? Numeric.toHexString(committed) : "the default set") + " with " + groups
                    + " groups on chain";
            store.refuseValidation(job.job(), reason);
            throw new ValidationRefusedException(reason);
        }
        if (v.isEmpty()) {
            // the default set; a job that asks for groups gets one per label
            ValidationSet set = groups == 0 ? defaultSet : defaultSet.withLabelGroups(groups);
            owners.put(job.job(), set);
            return set;
        }
        byte[] sealed;
        try {
            sealed = ipfs.catVerifiedBytes(Cid.parse(v.get().cid()), SealedBundle.MAX_BYTES);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("job " + job.job() + ": its validation set " + v.get().cid()
                    + " cannot be fetched from IPFS now: " + e.getMessage(), e);
        }
        try {
            ValidationBundle bundle = SealedBundle.openChecked(sealed, chain.encryptionKey().keyPair(),
                    Numeric.hexStringToByteArray(v.get().commitment()), v.get().groups());
            ValidationSet set = ValidationSet.of(bundle);
            owners.put(job.job(), set);
            LOG.infof("job %s: the owner's validation set %s is accepted: %d samples of %dx%d, %d groups", job.job(),
                    v.get().cid(), bundle.count(), bundle.rows(), bundle.cols(), bundle.groupCount());
            return set;
        } catch (ValidationRejectedException e) {
            String reason = "the owner's validation set " + v.get().cid() + " is refused: " + e.getMessage();
            store.refuseValidation(job.job(), reason);
            // logged once by whoever asked (the round loop's warn-once, or the registration)
            throw new ValidationRefusedException(reason);
        }
    }

    /** The owner's set is refused for good; the message says why. */
    public static final class ValidationRefusedException extends RuntimeException {
        public ValidationRefusedException(String message) {
            super(message);
        }
    }
}
