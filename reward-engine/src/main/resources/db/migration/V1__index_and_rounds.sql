-- The chain event index: every JobMarket and StakingRegistry log, keyed by its position on the chain.
create table indexed_block (
    number      bigint primary key,
    hash        text   not null
);

create table index_cursor (
    id          int    primary key check (id = 1),
    next_block  bigint not null
);

create table chain_event (
    block_number bigint   not null,
    log_index    int      not null,
    block_hash   text     not null,
    tx_hash      text     not null,
    contract     text     not null,
    name         text     not null,
    job_id       numeric(78),
    round        int,
    attempt      int,
    account      text,
    args         jsonb    not null,
    primary key (block_number, log_index)
);
create index chain_event_job on chain_event (job_id, block_number, log_index);
create index chain_event_account on chain_event (account, name, block_number, log_index);
create index chain_event_name on chain_event (name, block_number, log_index);

-- The evaluator's own state: which jobs are its own, their round-0 model, and each round's result.
create table engine_job (
    job_id          numeric(78) primary key,
    mine            boolean not null,
    spec            text,
    initial_weights bytea,
    manifest_cid    text,
    model_cid       text,
    weights_cid     text,
    finished        boolean not null default false
);

create table engine_round (
    job_id        numeric(78) not null,
    round         int         not null,
    attempt       int         not null,
    aggregated    boolean     not null default false,
    weights       bytea,
    weights_hash  text,
    weights_cid   text,
    used_nodes    text,
    rejected      text,
    accuracy_ppm  int,
    open_tx       text,
    result_tx     text,
    notified      text        not null default '',
    updated_at    timestamptz not null default now(),
    primary key (job_id, round)
);
