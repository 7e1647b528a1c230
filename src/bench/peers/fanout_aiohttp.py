"""Peer: Python fan-out. GET /api/aggregate calls every upstream at once with asyncio.gather over
one aiohttp ClientSession (keep-alive) and answers with each source's outcome and timings."""
import asyncio
import sys
import time

from aiohttp import ClientSession, TCPConnector, web

try:  # the fastest loop Python offers, when installed
    import uvloop
    uvloop.install()
except ImportError:
    pass


def now_ms():
    return time.monotonic() * 1000


async def call(session, url, start):
    started = now_ms() - start
    try:
        async with session.get(url) as response:
            body = await response.json()
            outcome = "ok" if 200 <= response.status < 300 else "error"
            return {"name": url, "outcome": outcome, "status": response.status, "body": body,
                    "startedAtMs": round(started), "elapsedMs": round(now_ms() - start - started)}
    except Exception as e:  # one outcome per source, whatever happened
        return {"name": url, "outcome": "error", "reason": str(e),
                "startedAtMs": round(started), "elapsedMs": round(now_ms() - start - started)}


async def aggregate(request):
    start = now_ms()
    session = request.app["session"]
    sources = await asyncio.gather(*(call(session, url, start) for url in request.app["upstreams"]))
    complete = all(s["outcome"] == "ok" for s in sources)
    status = 200 if any(s["outcome"] == "ok" for s in sources) else 502
    return web.json_response({"complete": complete, "elapsedMs": round(now_ms() - start), "sources": sources},
                             status=status, headers={"X-Fanout-Complete": str(complete).lower()})


async def session_context(app):
    app["session"] = ClientSession(connector=TCPConnector(limit=768, limit_per_host=256))
    yield
    await app["session"].close()


def main():
    port = int(sys.argv[1])
    app = web.Application()
    app["upstreams"] = sys.argv[2:]
    app.cleanup_ctx.append(session_context)
    app.router.add_get("/api/aggregate", aggregate)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
