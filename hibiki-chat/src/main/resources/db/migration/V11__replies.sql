-- A reply names the message it answers (same room); the thread view lists a parent's replies by this index.
ALTER TABLE messages ADD COLUMN reply_to BIGINT;
CREATE INDEX idx_messages_reply_to ON messages (reply_to);
