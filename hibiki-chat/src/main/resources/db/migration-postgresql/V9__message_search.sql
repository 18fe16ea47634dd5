-- Search (issue 16): PostgreSQL's text search over message text, language-neutral ('simple': no stemming, so it
-- finds the same words in every language and matches what the embedded store finds), with an index.
CREATE INDEX idx_messages_search ON messages USING GIN (to_tsvector('simple', text));
