-- Emoji reactions (issue 16): one row per person, message and emoji; a message's reactions are read with it.
CREATE TABLE reactions (
  message_id BIGINT NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  emoji VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (message_id, user_id, emoji)
);
CREATE INDEX idx_reactions_message ON reactions (message_id, created_at);
