-- Round state of one zk-aggregator node (docs/protocol.md steps 5-8). Everything a restarted node needs to
-- pick a round up again: what it follows, what it saw on chain, what it received, and what it has done.

-- how far the node has read the market's logs
CREATE TABLE cursor (
    id INT PRIMARY KEY,
    next_block BIGINT NOT NULL
);

-- jobs whose committee holds this node (CommitteeDrawn), k its 1-based committee index
CREATE TABLE job (
    job_id NUMERIC(78) PRIMARY KEY,
    k INT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

-- per-round envelope keys; the secret is deleted once the round is over
CREATE TABLE round_key (
    job_id NUMERIC(78) NOT NULL,
    round INT NOT NULL,
    secret NUMERIC(78),
    pk_x NUMERIC(78) NOT NULL,
    pk_y NUMERIC(78) NOT NULL,
    PRIMARY KEY (job_id, round)
);

-- RoundCommitted: trainer i's commitments (x, y words), manifest digest and n_i
CREATE TABLE commitment (
    job_id NUMERIC(78) NOT NULL,
    round INT NOT NULL,
    attempt INT NOT NULL,
    trainer INT NOT NULL,
    address TEXT NOT NULL,
    points TEXT NOT NULL,
    manifest BYTEA NOT NULL,
    samples BIGINT NOT NULL,
    PRIMARY KEY (job_id, round, attempt, trainer)
);

-- Kafka intake: manifests and this node's envelopes, by key (job/round/attempt/i[/k])
CREATE TABLE received (
    kind TEXT NOT NULL,
    job_id NUMERIC(78) NOT NULL,
    round INT NOT NULL,
    attempt INT NOT NULL,
    trainer INT NOT NULL,
    body BYTEA NOT NULL,
    PRIMARY KEY (kind, job_id, round, attempt, trainer)
);

-- what the node concluded about trainer i's share: ok, bad (complain), missing (vote to exclude)
CREATE TABLE share_verdict (
    job_id NUMERIC(78) NOT NULL,
    round INT NOT NULL,
    attempt INT NOT NULL,
    trainer INT NOT NULL,
    verdict TEXT NOT NULL,
    PRIMARY KEY (job_id, round, attempt, trainer)
);

-- other nodes' complaints (ShareComplaint)
CREATE TABLE complaint (
    job_id NUMERIC(78) NOT NULL,
    round INT NOT NULL,
    attempt INT NOT NULL,
    trainer_address TEXT NOT NULL,
    node_address TEXT NOT NULL,
    ephemeral TEXT NOT NULL,
    shared TEXT NOT NULL,
    PRIMARY KEY (job_id, round, attempt, trainer_address)
);

-- trainers excluded on chain (TrainerExcluded)
CREATE TABLE excluded (
    job_id NUMERIC(78) NOT NULL,
    round INT NOT NULL,
    attempt INT NOT NULL,
    trainer_address TEXT NOT NULL,
    PRIMARY KEY (job_id, round, attempt, trainer_address)
);

-- transactions: an intent is written before sending; done once the receipt or the chain's own record shows it
-- (action: round-key, complain, vote-complaint, vote-exclusion, opening, reveal; subject: trainer address or '')
CREATE TABLE action (
    job_id NUMERIC(78) NOT NULL,
    round INT NOT NULL,
    attempt INT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    state TEXT NOT NULL,
    detail TEXT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, round, attempt, action, subject)
);

-- reveals posted on chain (PartialRevealed), by committee index
CREATE TABLE reveal_seen (
    job_id NUMERIC(78) NOT NULL,
    round INT NOT NULL,
    attempt INT NOT NULL,
    node_address TEXT NOT NULL,
    cid BYTEA NOT NULL,
    PRIMARY KEY (job_id, round, attempt, node_address)
);
