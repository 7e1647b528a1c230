"""Peer: a Python `websockets` broadcast server (10.x API). Rooms from the path (/chat/{room});
every text frame is relayed as is to every other connection in the room. Keeps nothing."""
import asyncio
import sys
from urllib.parse import unquote, urlsplit

import websockets

rooms = {}


async def handler(ws, path):
    parts = urlsplit(path).path.split("/")
    room = unquote(parts[2]) if len(parts) > 2 and parts[2] else "lobby"
    members = rooms.setdefault(room, set())
    members.add(ws)
    try:
        async for message in ws:
            websockets.broadcast([m for m in members if m is not ws], message)
    finally:
        members.discard(ws)
        if not members:
            rooms.pop(room, None)


async def main(port):
    async with websockets.serve(handler, "127.0.0.1", port, compression=None,
                                max_queue=None, ping_interval=None):
        print(f"websockets broadcast peer on {port}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 8083))
