"""Peer: Python aiohttp + asyncpg. GET /api/users/{id} reads one row by primary key through an
asyncpg pool (prepared statements are cached by asyncpg) and answers JSON (404 when absent)."""
import sys

import asyncpg
from aiohttp import web

try:  # the fastest loop Python offers, when installed
    import uvloop
    uvloop.install()
except ImportError:
    pass


async def user(request):
    try:
        user_id = int(request.match_info["id"])
    except ValueError:
        return web.json_response({"title": "Bad id"}, status=400)
    row = await request.app["pool"].fetchrow(
        "SELECT id, name, email, created_at FROM users WHERE id = $1", user_id)
    if row is None:
        return web.json_response({"title": "Not Found"}, status=404)
    return web.json_response({"id": row["id"], "name": row["name"], "email": row["email"],
                              "createdAt": row["created_at"].isoformat()})


async def pool_context(app):
    app["pool"] = await asyncpg.create_pool(app["dsn"], min_size=app["size"], max_size=app["size"])
    yield
    await app["pool"].close()


def main():
    app = web.Application()
    app["dsn"] = sys.argv[2]
    app["size"] = int(sys.argv[3]) if len(sys.argv) > 3 else 32
    app.cleanup_ctx.append(pool_context)
    app.router.add_get("/api/users/{id}", user)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)


if __name__ == "__main__":
    main()
