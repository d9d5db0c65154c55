"""The floor under `{ __typename }`: what the HTTP server, and Starlette on it, cost per request
before any GraphQL, measured as `graphql_throughput.py` measures Rungs and PostGraphile.

Each floor is a uvicorn server with the same processes and HTTP stack as `rungs serve`
(httptools, uvloop), without an access log, answering every POST with the answer Rungs gives
to `{ __typename }`:

- `asgi`: a bare ASGI callable that reads the body and answers;
- `starlette`: a Starlette app with one route that parses the JSON body and answers.

    .venv/bin/python bench/http_floor.py
    .venv/bin/python bench/http_floor.py --duration 20 --workers 2

Compare the CPU per request with the `typename` rows of `graphql_throughput.py`, run on the
same machine just before or after. See bench/README.md, "Where `{ __typename }` goes".
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import graphql_throughput as throughput
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ANSWER = b'{"data":{"__typename":"Query"}}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(ANSWER)).encode())]
UVICORN = throughput.REPO / ".venv" / "bin" / "uvicorn"
FLOORS = {"asgi": "http_floor:bare", "starlette": "http_floor:starlette"}


async def bare(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An ASGI app with nothing in it: the server's own cost."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": ANSWER})


async def graphql(request: Request) -> Response:
    json.loads(await request.body())
    return Response(ANSWER, media_type="application/json")


starlette = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])


def floor_server(name: str, port: int, workers: int, scratch: Path) -> throughput.Server:
    argv = [str(UVICORN), FLOORS[name], "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    env = {**throughput._base_env(), "PYTHONPATH": str(throughput.BENCH)}
    return throughput.Server(name, argv, env, port, scratch / f"{name}.log")


def answers(port: int) -> Any:
    def ready(client: httpx.Client) -> bool:
        return (
            client.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"}).status_code
            == 200
        )

    return ready


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2, as the bench)")
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds measured per floor (default 10)"
    )
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load first, not measured")
    args = parser.parse_args(argv)
    # The throughput bench's own settings for wrk and the ports; the database is not used.
    options = throughput.parse_options(["--duration", str(args.duration), "--workers", str(args.workers)])
    with tempfile.TemporaryDirectory(prefix="rungs-floor-") as folder:
        scratch = Path(folder)
        bodies = scratch / "bodies.jsonl"
        bodies.write_text(json.dumps({"query": "{ __typename }"}) + "\n")
        print(f"{'floor':<10} {'req/s':>9} {'CPU ms/req':>11}")
        for name in FLOORS:
            port = throughput.free_port(options.ports, set())
            server = floor_server(name, port, args.workers, scratch)
            try:
                with throughput.running(server, answers(port)):
                    throughput.run_wrk(options, server.url, bodies, args.warmup)
                    assert server.process is not None
                    before = throughput.group_cpu(server.process.pid)
                    measured = throughput.run_wrk(options, server.url, bodies, args.duration)
                    used = throughput.cpu_used(before, throughput.group_cpu(server.process.pid)) or 0.0
            except throughput.BenchError as error:
                print(f"\nbench: {error}", file=sys.stderr)
                return 2
            if measured.errors:
                print(f"\nbench: {name} answered {measured.errors} requests wrongly", file=sys.stderr)
                return 2
            per_request = used / measured.requests * 1000
            print(f"{name:<10} {measured.requests_per_second:>9,.0f} {per_request:>11.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
