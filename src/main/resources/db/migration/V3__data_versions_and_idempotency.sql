-- Versions for optimistic concurrency: every write of a user or product adds one, and PUT and
-- DELETE only apply to the version the client read (If-Match), so no update is silently lost.
ALTER TABLE users ADD COLUMN version bigint NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE products ADD COLUMN version bigint NOT NULL DEFAULT 1 CHECK (version >= 1);

-- Idempotency keys of creates (POST with Idempotency-Key), per endpoint. The row is inserted in the
-- transaction of the create, before it, so a create and its key commit together or not at all, and a
-- second request with the same key waits on the first one's row. The answer is filled in by the same
-- transaction; a committed row always has one.
CREATE TABLE idempotency_keys (
    endpoint      text        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    status        integer,
    location      text,
    etag          text,
    body          text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    PRIMARY KEY (endpoint, key)
);
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
