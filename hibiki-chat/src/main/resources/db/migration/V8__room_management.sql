-- Rooms people can manage (issue 15): a title and topic the owner can change, public (listed in the directory,
-- anyone may join) or private (invite-only, never listed), an owner, archiving. Rooms that exist keep working as
-- public rooms with no owner (admins manage them); direct rooms are private.
ALTER TABLE rooms ADD COLUMN title VARCHAR(64);
ALTER TABLE rooms ADD COLUMN topic VARCHAR(250) DEFAULT '' NOT NULL;
ALTER TABLE rooms ADD COLUMN visibility VARCHAR(10) DEFAULT 'public' NOT NULL;
ALTER TABLE rooms ADD COLUMN owner_id VARCHAR(64);
ALTER TABLE rooms ADD COLUMN archived BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE rooms SET visibility = 'private' WHERE kind = 'direct';
CREATE INDEX idx_rooms_directory ON rooms (visibility, archived, name);
