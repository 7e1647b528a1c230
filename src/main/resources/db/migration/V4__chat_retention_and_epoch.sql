-- Retention deletes a room's oldest messages; first_id is the lowest id still kept (retention moves it
-- up), so a client asking for messages after an id below it is told that some were deleted.
ALTER TABLE chat_rooms ADD COLUMN first_id bigint NOT NULL DEFAULT 1;

-- A room's epoch changes whenever its row is created anew (a reset room, a restored database), when its
-- ids start again from 1: a client holding ids of another epoch is told so instead of missing messages.
ALTER TABLE chat_rooms ADD COLUMN epoch text NOT NULL DEFAULT substr(md5(random()::text || clock_timestamp()::text), 1, 12);
