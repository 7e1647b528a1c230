-- Who is speaking comes from the token on the upgrade: its subject ("user") is stored beside the display
-- name, so two people with one name are told apart and presence counts each user once. Rows from before
-- identity keep an empty user (no token's subject is empty); the default needs no table rewrite.
ALTER TABLE chat_messages ADD COLUMN sender_id text NOT NULL DEFAULT '';
ALTER TABLE chat_presence ADD COLUMN user_id text NOT NULL DEFAULT '';
