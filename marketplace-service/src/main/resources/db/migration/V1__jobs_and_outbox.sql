-- Training jobs posted by model owners. The EIP-712 digest is the job's identity: a re-posted
-- signed job finds its row instead of creating another.
CREATE TABLE job (
    id               BIGSERIAL PRIMARY KEY,
    digest           VARCHAR(66)   NOT NULL UNIQUE,
    owner            VARCHAR(42)   NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    model_spec       TEXT          NOT NULL,
    parameter_count  BIGINT        NOT NULL,
    local_epochs     INTEGER       NOT NULL,
    batch_size       INTEGER       NOT NULL,
    learning_rate    DOUBLE PRECISION NOT NULL,
    optimiser        VARCHAR(16)   NOT NULL,
    target_accuracy  NUMERIC(7, 6) NOT NULL,
    max_rounds       INTEGER       NOT NULL,
    fee_token        VARCHAR(42)   NOT NULL,
    fee_amount       NUMERIC(78, 0) NOT NULL,
    committee_size   INTEGER       NOT NULL,
    threshold        INTEGER       NOT NULL,
    min_trainers     INTEGER       NOT NULL,
    nonce            NUMERIC(78, 0) NOT NULL,
    deadline         BIGINT        NOT NULL,
    signature        VARCHAR(132)  NOT NULL,
    model_cid        VARCHAR(128)  NOT NULL,
    weights_cid      VARCHAR(128)  NOT NULL,
    weights_hash     VARCHAR(66)   NOT NULL,
    weights_bytes    BIGINT        NOT NULL,
    weights_seed     BIGINT,
    created_at       TIMESTAMPTZ   NOT NULL
);
CREATE INDEX job_status_id ON job (status, id);
CREATE INDEX job_owner_id ON job (owner, id);

-- Transactional outbox: written in the same transaction as the row it announces, relayed to Kafka
-- afterwards, so there is no event without a stored job and no stored job without its event.
CREATE TABLE outbox_event (
    id            BIGSERIAL PRIMARY KEY,
    topic         VARCHAR(128)  NOT NULL,
    event_key     VARCHAR(128)  NOT NULL,
    event_type    VARCHAR(64)   NOT NULL,
    payload       TEXT          NOT NULL,
    created_at    TIMESTAMPTZ   NOT NULL,
    published_at  TIMESTAMPTZ
);
CREATE INDEX outbox_event_pending ON outbox_event (id) WHERE published_at IS NULL;
