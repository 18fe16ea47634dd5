-- Search (issue 16) on the embedded store matches words as substrings of the lower-cased text, within the rooms a
-- user may read (a scan of those rooms' messages, newest first): nothing to index here. The version exists so
-- that both stores have the same schema history.
CREATE INDEX IF NOT EXISTS idx_messages_room_id ON messages (room, id);
