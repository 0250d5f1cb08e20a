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

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
