-- Jobs go on chain (ADR 0005, 0006): the signed JobParams, the manifest that modelHash commits to, and the
-- relayer's submission state. Rows stored before this migration have submission NULL and are not submitted.
ALTER TABLE job
    ADD COLUMN manifest_cid      VARCHAR(128),
    ADD COLUMN manifest          TEXT,
    ADD COLUMN model_hash        VARCHAR(66),
    ADD COLUMN bucket            BIGINT,
    ADD COLUMN evaluator         VARCHAR(42),
    ADD COLUMN chain_params      TEXT,
    ADD COLUMN fee_permit        TEXT,
    ADD COLUMN submission        VARCHAR(16),
    ADD COLUMN submit_attempts   INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN next_submit_at    TIMESTAMPTZ,
    ADD COLUMN chain_from_block  BIGINT,
    ADD COLUMN tx_hash           VARCHAR(66),
    ADD COLUMN chain_block       BIGINT,
    ADD COLUMN chain_job_id      NUMERIC(78, 0),
    ADD COLUMN submit_error      TEXT,
    ADD COLUMN on_chain_at       TIMESTAMPTZ;

-- The chain accepts a nonce once per owner: a second stored job with the same (owner, nonce) could never go on chain.
CREATE UNIQUE INDEX job_owner_nonce ON job (owner, nonce);
-- The submission worker's queue.
CREATE INDEX job_submission_due ON job (next_submit_at, id) WHERE submission = 'PENDING';
