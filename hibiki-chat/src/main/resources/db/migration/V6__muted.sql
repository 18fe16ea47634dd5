-- A member can mute a room or a direct conversation: it stays, its messages still arrive and count as unread,
-- but the client does not call attention to it (issue 13: the recipient of an unwanted conversation can mute it).
ALTER TABLE memberships ADD COLUMN muted BOOLEAN DEFAULT FALSE NOT NULL;
