-- The owner's validation set as the request named it (also in the manifest), and the hand-over of a job's
-- artefacts to its reward engine (POST /api/v1/jobs/{job}/artifacts, docs/adr/0080) once the job is on chain.
ALTER TABLE job
    ADD COLUMN validation_cid        VARCHAR(128),
    ADD COLUMN validation_commitment VARCHAR(66),
    ADD COLUMN validation_groups     INTEGER,
    ADD COLUMN engine_registered_at  TIMESTAMPTZ,
    ADD COLUMN engine_attempts       INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN engine_next_at        TIMESTAMPTZ,
    ADD COLUMN engine_error          TEXT;

-- The registration worker's queue: jobs on chain whose artefacts the engine has not taken yet.
CREATE INDEX job_engine_due ON job (engine_next_at, id) WHERE submission = 'ON_CHAIN' AND engine_registered_at IS NULL;
