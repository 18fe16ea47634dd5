-- A direct room someone else opened costs its recipient nothing against their own limits, and a user can block
-- another from opening one with them.
ALTER TABLE memberships ADD COLUMN invited BOOLEAN DEFAULT FALSE NOT NULL;
CREATE TABLE blocks (
  user_id VARCHAR(64) NOT NULL,
  blocked_id VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, blocked_id)
);
