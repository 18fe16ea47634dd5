-- A user can end every session: tokens issued before this second (epoch seconds) are no longer good.
ALTER TABLE users ADD COLUMN revoked_before BIGINT DEFAULT 0 NOT NULL;
