-- The sweep of uploads no message refers to asks, per file, whether one does.
CREATE INDEX idx_messages_attachment ON messages (attachment_url);
