package io.zkpfl.marketplace.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;

/** A training job as stored: the signed request, its artefacts' CIDs and its status. */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** EIP-712 digest of the signed request, {@code 0x…}: the job's identity. */
    public String digest;
    public String owner;

    @Enumerated(EnumType.STRING)
    public JobStatus status;

    /** Canonical model JSON. */
    @Column(name = "model_spec")
    public String modelSpec;
    @Column(name = "parameter_count")
    public long parameterCount;

    @Column(name = "local_epochs")
    public int localEpochs;
    @Column(name = "batch_size")
    public int batchSize;
    @Column(name = "learning_rate")
    public double learningRate;
    public String optimiser;

    @Column(name = "target_accuracy")
    public BigDecimal targetAccuracy;
    @Column(name = "max_rounds")
    public int maxRounds;

    @Column(name = "fee_token")
    public String feeToken;
    @Column(name = "fee_amount")
    public BigInteger feeAmount;

    @Column(name = "committee_size")
    public int committeeSize;
    public int threshold;
    @Column(name = "min_trainers")
    public int minTrainers;

    public BigInteger nonce;
    public long deadline;
    public String signature;

    @Column(name = "model_cid")
    public String modelCid;
    @Column(name = "weights_cid")
    public String weightsCid;
    /** keccak-256 of the initial weight bytes, {@code 0x…}. */
    @Column(name = "weights_hash")
    public String weightsHash;
    @Column(name = "weights_bytes")
    public long weightsBytes;
    /** Seed of the service-side initialisation, or {@code null} when the owner sent the weights. */
    @Column(name = "weights_seed")
    public Long weightsSeed;

    /** CID of the canonical job manifest ({@link JobManifest}). */
    @Column(name = "manifest_cid")
    public String manifestCid;
    /** The canonical job manifest. */
    public String manifest;
    /** keccak-256 of the manifest: the job's on-chain {@code modelHash}, {@code 0x…}. */
    @Column(name = "model_hash")
    public String modelHash;
    /** Size bucket {@code D}. */
    public Long bucket;
    public String evaluator;
    /** The signed {@code JobParams} as the typed data's {@code message} JSON (what the relayer submits). */
    @Column(name = "chain_params")
    public String chainParams;
    /** The EIP-2612 fee permit as JSON, or {@code null}. */
    @Column(name = "fee_permit")
    public String feePermit;

    /** Submission state; {@code null} for jobs stored before jobs went on chain. */
    @Enumerated(EnumType.STRING)
    public Submission submission;
    @Column(name = "submit_attempts")
    public int submitAttempts;
    @Column(name = "next_submit_at")
    public OffsetDateTime nextSubmitAt;
    /** Chain head when the job was stored: where a lookup of its {@code JobCreated} event starts. */
    @Column(name = "chain_from_block")
    public Long chainFromBlock;
    @Column(name = "tx_hash")
    public String txHash;
    @Column(name = "chain_block")
    public Long chainBlock;
    @Column(name = "chain_job_id")
    public BigInteger chainJobId;
    @Column(name = "submit_error")
    public String submitError;
    @Column(name = "on_chain_at")
    public OffsetDateTime onChainAt;

    /** The owner's sealed validation set (docs/adr/0105): its CID, commitment and group count, or null for the default set. */
    @Column(name = "validation_cid")
    public String validationCid;
    @Column(name = "validation_commitment")
    public String validationCommitment;
    @Column(name = "validation_groups")
    public Integer validationGroups;

    /** When the reward engine took the job's artefacts ({@link EngineRegistration}); null until then. */
    @Column(name = "engine_registered_at")
    public OffsetDateTime engineRegisteredAt;
    @Column(name = "engine_attempts")
    public int engineAttempts;
    @Column(name = "engine_next_at")
    public OffsetDateTime engineNextAt;
    @Column(name = "engine_error")
    public String engineError;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
