-- Keep every distinct copy of a manifest or envelope received under one key (by its SHA-256), so a later forged
-- record cannot displace the one whose digest the trainer committed on chain or whose CID its manifest lists.
ALTER TABLE received ADD COLUMN sha256 BYTEA;
UPDATE received SET sha256 = sha256(body);
ALTER TABLE received ALTER COLUMN sha256 SET NOT NULL;
ALTER TABLE received ADD COLUMN received_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE received DROP CONSTRAINT received_pkey;
ALTER TABLE received ADD PRIMARY KEY (kind, job_id, round, attempt, trainer, sha256);
