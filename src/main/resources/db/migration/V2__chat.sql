-- Chat rooms, messages and presence.
--
-- Message ids are per room: 1, 2, 3, ... with no gaps. The next id comes from the room's row in
-- chat_rooms, taken with a row lock in the same statement that inserts the messages, so inserts
-- into one room commit in id order. A reader that has seen id N therefore knows every id below N
-- is committed too: "every message after id N" is exact, across replicas.
CREATE TABLE chat_rooms (
    room     text   PRIMARY KEY,
    last_id  bigint NOT NULL CHECK (last_id >= 0)
);

CREATE TABLE chat_messages (
    room     text        NOT NULL,
    id       bigint      NOT NULL,
    sender   text        NOT NULL,
    body     text        NOT NULL,
    sent_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room, id)
);

-- Replicas of the service announce themselves here; a replica whose heartbeat stops is
-- removed after a timeout, and its connections stop counting as present.
CREATE TABLE chat_replicas (
    id       text        PRIMARY KEY,
    seen_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per open WebSocket connection, on whichever replica holds it.
CREATE TABLE chat_presence (
    replica     text        NOT NULL,
    connection  text        NOT NULL,
    room        text        NOT NULL,
    name        text        NOT NULL,
    joined_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (replica, connection)
);
CREATE INDEX chat_presence_room_idx ON chat_presence (room);
