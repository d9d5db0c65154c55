"""`make fuzz`: a schema-driven GraphQL fuzzer against a real `rungs run` seeded with demo data.

It starts the server in a fresh data directory on the embedded defaults, signs in a demo
platform admin for a bearer token, then lets schemathesis send queries and mutations generated
from `graphql/schema.graphql` (the published SDL, since production turns introspection off):
half the time anonymously, half as the admin, so mutations run with real rights too, and with
real ids of the demo's records in most ID arguments. Every 5xx, every dropped connection and
every resolver crash masked as "Unexpected error" fails the run, with the request that caused
it and the server's log of it. The server is always stopped.

    FUZZ_SECONDS=120 .venv/bin/python tests/fuzz/run.py    # the default; CI runs it for less
    FUZZ_SEED=1234 …                                        # generate a run's requests again
"""

from __future__ import annotations

import json
import os
import queue
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from backend.demo import DEMO_PASSWORD
from graphql import (
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    get_named_type,
    get_nullable_type,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "graphql" / "schema.graphql"
CHECKS = Path(__file__).with_name("checks.py")
BIN = Path(sys.executable).parent
PORTS = range(9350, 9400)
READY_LINE = "Rungs is running at"
STARTUP_SECONDS = 60
DEFAULT_SECONDS = 120
ADMIN = "admin@rungs.demo"
# Variables that would point the server away from its own embedded engines and mail.
FOREIGN_SETTINGS = ("DATABASE_URL", "REDIS_URL", "MAIL_URL", "SECRET_KEY", "ALLOWED_ORIGINS", "PUBLIC_URL")
# Ending the session behind the bearer token would leave the rest of the signed-in run anonymous.
SIGNED_IN_EXCLUDED = ("Mutation.logOut", "Mutation.eraseAccount")
# Small pages, so the documents stay well within any cost limit.
DEMO_ID_QUERIES = (
    "{ viewer { user { ...id } notifications(first: 20) { edges { node { ...id } } } } }",
    "{ areas(first: 50) { edges { node { ...id coordinators { ...id } } } } }",
    "{ organisations(first: 50) { edges { node { ...id } } } }",
    "{ problems(first: 50) { edges { node { ...id proposer { ...id } } } } }",
    "{ problems(first: 50) { edges { node {"
    " comments(first: 5) { edges { node { ...id author { ...id } } } } } } } }",
)
ID_FRAGMENT = "fragment id on Node { id __typename }"
# How often an ID argument gets a real id rather than a generated string.
REAL_ID_SHARE = 0.8
# The access log's line for each request to the API, with the status it answered.
GRAPHQL_ACCESS = re.compile(r'"POST /graphql HTTP/[\d.]+" (?P<status>\d{3})')
# A log record begins with its timestamp; the lines after it (a traceback) belong to it.
LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?P<level>[A-Z]+) ")


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    def failures_logged(self) -> list[str]:
        """The server's ERROR and CRITICAL records, each with its traceback."""
        records: list[list[str]] = []
        keep = False
        for line in self.output:
            if start := LOG_RECORD.match(line):
                keep = start["level"] in ("ERROR", "CRITICAL")
                if keep:
                    records.append([])
            if keep:
                records[-1].append(line)
        return ["".join(record) for record in records]

    def statuses_answered(self) -> list[int]:
        """The status of every /graphql request, from the server's access log."""
        return [int(found["status"]) for line in self.output if (found := GRAPHQL_ACCESS.search(line))]


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {PORTS.start} and {PORTS.stop - 1}")


def environment(data_dir: Path, url: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in FOREIGN_SETTINGS}
    env.update(DATA_DIR=str(data_dir), ENVIRONMENT="development", PUBLIC_URL=url, PYTHONUNBUFFERED="1")
    return env


def prepare(data_dir: Path, env: dict[str, str]) -> None:
    for command in (["migrate"], ["demo-data"]):
        done = subprocess.run(
            [str(BIN / "rungs"), *command], env=env, cwd=data_dir, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"rungs {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def start(data_dir: Path) -> Server:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = environment(data_dir, url)
    prepare(data_dir, env)
    process = subprocess.Popen(
        [str(BIN / "rungs"), "run", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=data_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server(url=url, process=process)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        # Drains the pipe for the server's whole life, so it never blocks on a full pipe.
        assert process.stdout is not None
        for line in process.stdout:
            server.output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True, name="rungs-output").start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            stop(server)
            raise RuntimeError(f"rungs run did not start within {STARTUP_SECONDS} s") from None
        if line is None:
            stop(server)
            raise RuntimeError(f"rungs run exited with {process.returncode}:\n{''.join(server.output)}")
        if READY_LINE in line:
            return server


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def ask(client: httpx.Client, document: str, variables: dict[str, object] | None = None) -> dict[str, Any]:
    answer = client.post("/graphql", json={"query": document, "variables": variables or {}})
    answer.raise_for_status()
    body = answer.json()
    if body.get("errors"):
        raise RuntimeError(f"preparing the fuzzer failed: {body['errors']}")
    data: dict[str, Any] = body["data"]
    return data


def api_token(url: str) -> str:
    """A bearer token for the demo platform admin, made the way an API client makes one."""
    with httpx.Client(base_url=url, timeout=30) as client:
        ask(
            client,
            "mutation($input: LogInInput!) { logIn(input: $input) { errors { field message } } }",
            {"input": {"email": ADMIN, "password": DEMO_PASSWORD}},
        )
        made = ask(
            client,
            "mutation($input: CreateApiTokenInput!) "
            "{ createApiToken(input: $input) { token errors { field message } } }",
            {"input": {"label": "fuzzer"}},
        )["createApiToken"]
    if not made["token"]:
        raise RuntimeError(f"no API token for the fuzzer: {made['errors']}")
    return str(made["token"])


def demo_ids(url: str, token: str) -> dict[str, list[str]]:
    """The ids of the demo's areas, organisations, people, problems and comments, as the admin sees them."""
    found: dict[str, set[str]] = {}

    def collect(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("id"), str) and isinstance(value.get("__typename"), str):
                found.setdefault(value["__typename"], set()).add(value["id"])
            for inner in value.values():
                collect(inner)
        elif isinstance(value, list):
            for inner in value:
                collect(inner)

    with httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        for document in DEMO_ID_QUERIES:
            collect(ask(client, f"{document}\n{ID_FRAGMENT}"))
    return {type_name: sorted(ids) for type_name, ids in found.items()}


def id_arguments(schema: GraphQLSchema) -> list[str]:
    """Every argument, or input field inside one, that takes an ID, as schemathesis binding keys."""
    keys: list[str] = []

    def visit(path: str, argument_type: GraphQLInputType, seen: frozenset[str]) -> None:
        named = get_named_type(argument_type)
        element = f"{path}[*]" if isinstance(get_nullable_type(argument_type), GraphQLList) else path
        if named is GraphQLID:
            keys.append(element)
        elif isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            for name, input_field in named.fields.items():
                visit(f"{element}.{name}", input_field.type, seen | {named.name})

    for type_name, named_type in sorted(schema.type_map.items()):
        if isinstance(named_type, GraphQLObjectType) and not type_name.startswith("__"):
            for field_name, field_definition in named_type.fields.items():
                for argument_name, argument in field_definition.args.items():
                    visit(f"{type_name}.{field_name}.{argument_name}", argument.type, frozenset())
    return keys


def write_config(path: Path, ids: dict[str, list[str]]) -> None:
    """A schemathesis.toml that puts real ids into most ID arguments, so requests get past "not found".

    An argument whose name says what it points to (`problemId`, `homeAreaId`) gets ids of
    that type; the others (`node(id:)`, `parentId`, `duplicateOfId`) get ids of any type.
    """
    dictionaries = {type_name.lower(): values for type_name, values in ids.items()}
    dictionaries["any"] = sorted(value for values in ids.values() for value in values)
    lines = [f"[dictionaries.{name}]\nvalues = {json.dumps(found)}\n" for name, found in dictionaries.items()]
    lines.append("[parameters]")
    for key in id_arguments(build_schema(SCHEMA.read_text())):
        argument = key.rsplit(".", 1)[-1].lower()
        kind = next((name for name in ids if name.lower() in argument), None)
        dictionary = kind.lower() if kind else "any"
        lines.append(f'{json.dumps(key)} = {{ dictionary = "{dictionary}", probability = {REAL_ID_SHARE} }}')
    path.write_text("\n".join(lines) + "\n")


def fuzz(url: str, seconds: int, config: Path, *, token: str | None) -> int:
    """One schemathesis run for `seconds`; its exit status (0 when nothing failed)."""
    who = "signed in as " + ADMIN if token else "anonymously"
    print(f"== fuzzing {url}/graphql {who} for {seconds} s", flush=True)
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        str(SCHEMA),
        "--url",
        f"{url}/graphql",
        "--checks",
        "no_server_failure",
        "--max-time",
        str(seconds),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
    ]
    if seed := os.environ.get("FUZZ_SEED"):
        command += ["--seed", seed]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
        for name in SIGNED_IN_EXCLUDED:
            command += ["--exclude-name", name]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(CHECKS)}
    # In the temporary directory, so the cache schemathesis keeps stays out of the checkout.
    return subprocess.run(command, env=env, cwd=config.parent).returncode


def main() -> int:
    seconds = int(os.environ.get("FUZZ_SECONDS", DEFAULT_SECONDS))
    anonymous_seconds = max(seconds // 2, 1)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rungs-fuzz-") as data_dir:
        server = start(Path(data_dir))
        try:
            token = api_token(server.url)
            config = Path(data_dir) / "schemathesis.toml"
            write_config(config, demo_ids(server.url, token))
            anonymous = fuzz(server.url, anonymous_seconds, config, token=None)
            signed_in = fuzz(server.url, max(seconds - anonymous_seconds, 1), config, token=token)
            alive = server.process.poll() is None
        finally:
            stop(server)
    failures = server.failures_logged()
    for failure in failures:
        print(f"== the server logged:\n{failure}", end="", flush=True)
    if not alive:
        print("== the server died during the run", flush=True)
    statuses = Counter(server.statuses_answered())
    answered = ", ".join(f"{count} answered {status}" for status, count in sorted(statuses.items()))
    print(
        f"== {statuses.total()} requests to /graphql in {time.monotonic() - started:.0f} s "
        f"(with start-up): {answered}",
        flush=True,
    )
    return 0 if anonymous == signed_in == 0 and alive and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
