-- Accounts (issue 15): a handle that is unique once normalised (handle_key), a display name that may change, an
-- Argon2id password hash in PHC form. An account's user_id is a user id like any other, so its rooms, messages
-- and reads live in the tables that exist; a guest who signs up keeps theirs.
CREATE TABLE accounts (
  user_id VARCHAR(64) PRIMARY KEY,
  handle VARCHAR(64) NOT NULL,
  handle_key VARCHAR(128) NOT NULL,
  display_name VARCHAR(64) NOT NULL,
  password_hash VARCHAR(200) NOT NULL,
  is_admin BOOLEAN DEFAULT FALSE NOT NULL,
  suspended BOOLEAN DEFAULT FALSE NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_accounts_handle_key UNIQUE (handle_key)
);

-- Sign-in sessions, by the SHA-256 of the cookie's secret (a copy of this table signs nobody in). In the database,
-- so they survive restarts and every instance honours them; a row gone is a session ended.
CREATE TABLE sessions (
  token_hash VARCHAR(64) PRIMARY KEY,
  user_id VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX idx_sessions_user ON sessions (user_id);

-- A renamed account's messages show its new name: their author column is rewritten, found by user.
CREATE INDEX idx_messages_user ON messages (user_id);
