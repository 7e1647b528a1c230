"""The load of ChatSlowConsumerTest, with Python's `websockets` client library (Debian python3-websockets).

One reader connects over a socket whose receive buffer is 4 KiB, reads its welcome and then nothing;
`senders` clients each send `rate` messages of about `size` bytes per second for `seconds`; a watcher
reads everything. Afterwards the slow reader reads what reached it, up to its close frame. Prints one
JSON line: what was sent and acked, the ids the watcher got, and what the slow reader got.
Each client connects with its own token, from the environment: CHAT_TOKENS, a JSON object of tokens by
client name (slow, watcher, sender0, sender1, ...).

usage: CHAT_TOKENS='{...}' slow_consumer_load.py PORT ROOM SECONDS SENDERS RATE SIZE
"""
import asyncio
import json
import os
import socket
import sys
import time

import websockets


TOKENS = json.loads(os.environ["CHAT_TOKENS"])


def connect(url, name, **options):
    return websockets.connect(url, extra_headers={"Authorization": f"Bearer {TOKENS[name]}"},
                              ping_interval=None, max_size=None, **options)


async def main(port, room, seconds, senders, rate, size):
    url = f"ws://127.0.0.1:{port}/chat/{room}"

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    slow = await connect(url, "slow", sock=sock)
    await slow.recv()  # the welcome; from now on it reads nothing until the load is over

    watcher = await connect(url, "watcher")
    await watcher.recv()
    seen = []

    async def watch():
        try:
            async for frame in watcher:
                message = json.loads(frame)
                if message["type"] == "message":
                    seen.append(message["id"])
        except websockets.ConnectionClosed:
            pass

    watching = asyncio.create_task(watch())
    acked, refused = [], []

    async def send(i):
        ws = await connect(url, f"sender{i}")
        await ws.recv()
        answered = 0

        async def read():
            nonlocal answered
            async for frame in ws:
                if frame.startswith('{"type":"ack"'):
                    acked.append(json.loads(frame)["id"])
                    answered += 1
                elif frame.startswith('{"type":"error"'):
                    refused.append(frame)
                    answered += 1

        reader = asyncio.create_task(read())
        text = "y" * size
        sent = 0
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            await ws.send(json.dumps({"type": "message", "text": f"{text} {i}/{sent}"}))
            sent += 1
            await asyncio.sleep(max(0.0, start + sent / rate - time.monotonic()))
        deadline = time.monotonic() + 30
        while answered < sent and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        reader.cancel()
        await ws.close()
        return sent

    sent = sum(await asyncio.gather(*(send(i) for i in range(senders))))
    last = max(acked, default=0)
    deadline = time.monotonic() + 30
    while last not in seen and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    watching.cancel()
    await watcher.close()

    read, code, reason = 0, None, None
    try:
        while True:
            frame = await asyncio.wait_for(slow.recv(), 30)
            read += len(frame.encode() if isinstance(frame, str) else frame)
    except websockets.ConnectionClosed as closed:
        code, reason = closed.code, closed.reason
    except asyncio.TimeoutError:
        pass
    print(json.dumps({"sent": sent, "acked": sorted(acked), "refused": refused, "watcherIds": seen,
                      "slowRead": read, "slowCloseCode": code, "slowCloseReason": reason}), flush=True)


if __name__ == "__main__":
    port, room, seconds, senders, rate, size = sys.argv[1:7]
    asyncio.run(main(int(port), room, float(seconds), int(senders), float(rate), int(size)))
