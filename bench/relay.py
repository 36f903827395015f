"""The floor for bench/realtime.py: a bare `websockets` server that sends every message it gets to
every other connected client, with no Django, no channel layer and no database. Whatever the live
board costs above this is ours.

    python bench/relay.py --port 8890
"""

import argparse
import asyncio

from websockets.asyncio.server import broadcast, serve

clients = set()


async def relay(websocket):
    clients.add(websocket)
    try:
        async for message in websocket:
            broadcast([other for other in clients if other is not websocket], message)
    finally:
        clients.discard(websocket)


async def main(host: str, port: int):
    # No compression: Daphne does not negotiate it either, and the floor must do the same work.
    async with serve(relay, host, port, compression=None, max_size=2**20):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
