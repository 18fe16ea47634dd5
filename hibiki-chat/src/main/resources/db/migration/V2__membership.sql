-- Membership is the server's truth: who is in which room (direct rooms included), per-room sequence numbers,
-- the users others can start a direct conversation with, and the store's identity.

-- A direct room's name holds two user ids of up to 64 characters.
ALTER TABLE messages ALTER COLUMN room SET DATA TYPE VARCHAR(140);
ALTER TABLE room_reads ALTER COLUMN room SET DATA TYPE VARCHAR(140);

-- seq counts a room's messages 1, 2, 3 … without holes, so a client can tell it missed one.
ALTER TABLE messages ADD COLUMN seq BIGINT;
UPDATE messages SET seq = (SELECT COUNT(*) FROM messages x WHERE x.room = messages.room AND x.id <= messages.id);

CREATE TABLE rooms (
  name VARCHAR(140) PRIMARY KEY,
  kind VARCHAR(10) NOT NULL,
  last_seq BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
INSERT INTO rooms (name, kind, last_seq, created_at)
  SELECT room, CASE WHEN room LIKE 'dm:%' THEN 'direct' ELSE 'room' END, MAX(seq), MIN(created_at)
  FROM messages GROUP BY room;

CREATE TABLE memberships (
  user_id VARCHAR(64) NOT NULL,
  room VARCHAR(140) NOT NULL,
  joined_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, room)
);
CREATE INDEX idx_memberships_room ON memberships (room);
-- Before this version the browsers remembered their rooms; the best the server can recover is who posted where.
INSERT INTO memberships (user_id, room, joined_at)
  SELECT user_id, room, MIN(created_at) FROM messages GROUP BY user_id, room;

CREATE TABLE users (
  user_id VARCHAR(64) PRIMARY KEY,
  nickname VARCHAR(64) NOT NULL,
  seen_at BIGINT NOT NULL
);
INSERT INTO users (user_id, nickname, seen_at)
  SELECT m.user_id, MAX(m.author), MAX(m.created_at) FROM messages m GROUP BY m.user_id;

CREATE TABLE store_meta (
  meta_key VARCHAR(64) PRIMARY KEY,
  meta_value VARCHAR(200) NOT NULL
);
