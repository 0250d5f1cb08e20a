-- A job's own validation set (docs/adr/0105), named by its manifest, and each round's per-group accuracies.
-- validation_error holds why the set was refused for good (a commitment that does not match); NULL while usable or
-- not yet fetched.
alter table engine_job
    add column validation_cid        text,
    add column validation_commitment text,
    add column validation_groups     int not null default 0,
    add column validation_error      text;

-- A JSON array of ppm figures, one per group, NULL for a job without groups.
alter table engine_round
    add column group_accuracies text;
