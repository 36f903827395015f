"""Production-shape benchmarks: several Daphne processes on PostgreSQL and Redis.

    scripts/with-services .venv/bin/python bench/scale.py              # all five, prints tables
    scripts/with-services .venv/bin/python bench/scale.py --write-doc  # ...into docs/benchmarks.md
    scripts/with-services .venv/bin/python bench/scale.py --only idle  # or two, room, boards, api

1. two: edit-to-peer latency, 30 clients x 2 edits/s on one board, the clients alternating
   between two Daphne processes (Redis layer), against the bare relay's floor in the same run;
   bench/realtime.py's load generator (clients out of step, losses counted).
   room: the same for the big room, 300 people on one board (100 editors x 1 edit/s and 200
   viewers) across the two processes.
2. boards: 20 boards x 10 clients at once on the same two processes, each client editing once
   every 5 s (a busy workshop), one load process for all.
3. idle: 1,000 idle connections (20 boards x 50 tabs) on one fresh process: memory per connection.
4. api: GET /api/maps/{id}/ of a 12-stage, 300-card map, in process: server time and queries.

Each result carries the load average at its end: the machine may be shared.
"""

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realtime as rt  # noqa: E402  (the live-board bench: board making and load generator)
from report import write_section  # noqa: E402

ROOT = rt.ROOT
DAPHNE = str(Path(rt.PYTHON).parent / "daphne")
DOC_START, DOC_END = "<!-- production:start -->", "<!-- production:end -->"
IDLE_BOARDS, IDLE_TABS = 20, 5  # 20 boards x 10 users x 5 tabs = 1,000 connections


def load_average() -> str:
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_daphne(env) -> tuple[subprocess.Popen, int]:
    port = rt.free_port()
    process = subprocess.Popen(
        [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "-v", "0", "cjm.asgi:application"],
        cwd=ROOT,
        env=env,
    )
    rt.wait_for_port(port, process)
    return process, port


def stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# --- 1. one board across two processes ----------------------------------------------------------


def two_processes(args, servers, scratch) -> list[dict]:
    rate = args.two_rate
    return one_board(args, servers, scratch, f"30 clients x {rate:g} edits/s", 30, 0, rate)


def big_room(args, servers, scratch) -> list[dict]:
    name = "300 people: 100 editors x 1 edit/s + 200 viewers"
    return one_board(args, servers, scratch, name, 100, 200, 1.0)


def one_board(args, servers, scratch, name, editors, viewers, rate) -> list[dict]:
    """One board across both processes (clients alternate), against the bare relay's floor
    measured just before."""
    board_file = f"{scratch}/board-{editors}-{viewers}.json"
    Path(board_file).write_text(json.dumps(rt.make_board(editors + viewers, editors)))
    relay_port = rt.free_port()
    relay = subprocess.Popen([rt.PYTHON, str(ROOT / "bench/relay.py"), "--port", str(relay_port)])
    try:
        rt.wait_for_port(relay_port, relay)
        floor = rt.run_load(
            "relay",
            f"ws://127.0.0.1:{relay_port}",
            f"http://127.0.0.1:{relay_port}",
            board_file,
            name,
            editors,
            viewers,
            rate,
            args,
            relay.pid,
        )
        floor["load"] = load_average()
        daphne = measured_cpu(
            servers,
            lambda: rt.run_load(
                "daphne",
                urls(servers),
                origin(servers),
                board_file,
                name,
                editors,
                viewers,
                rate,
                args,
                servers[0][0].pid,
            ),
        )
        daphne["load"] = load_average()
        return [floor, daphne]
    finally:
        stop([relay])


def urls(servers) -> str:
    return ",".join(f"ws://127.0.0.1:{port}" for _, port in servers)


def origin(servers) -> str:
    return f"http://127.0.0.1:{servers[0][1]}"


def measured_cpu(servers, run) -> dict:
    """run() with the servers' CPU share summed over all of them (% of one core)."""
    before = sum(rt.cpu_seconds(process.pid) for process, _ in servers)
    began = time.time()
    result = run()
    used = sum(rt.cpu_seconds(process.pid) for process, _ in servers) - before
    result["server_cpu"] = used / (time.time() - began) * 100
    return result


# --- 2. twenty boards at once -------------------------------------------------------------------


def many_boards(args, servers, boards_file) -> dict:
    command = [
        rt.PYTHON,
        __file__,
        "load-many",
        "--boards",
        boards_file,
        "--url",
        urls(servers),
        "--origin",
        origin(servers),
        "--editors",
        "10",
        "--rate",
        "0.2",
        "--duration",
        str(args.duration),
    ]

    def run():
        output = subprocess.run(
            command, stdout=subprocess.PIPE, text=True, check=True, timeout=args.duration + 300
        ).stdout
        return json.loads(output)

    result = measured_cpu(servers, run)
    result.update(
        target="daphne",
        scenario=f"{args.board_count} boards x 10 clients, 1 edit / 5 s each",
        load=load_average(),
    )
    return result


async def load_many(args, boards) -> dict:
    """bench/realtime.py's clients, one room per board, all boards at once."""

    gate = asyncio.Semaphore(3)  # Daphne drops handshakes not done within 5 s: not all at once

    async def one_board(board):
        room = {
            "gate": gate,
            "connected": 0,
            "clients": args.editors,
            "start": asyncio.get_running_loop().create_future(),
        }
        results = []
        await asyncio.gather(
            *(rt.run_client(i, args, board, results, room) for i in range(args.editors))
        )
        return results

    per_board = await asyncio.gather(*(one_board(board) for board in boards))
    summaries = [rt.summarise(args, results) for results in per_board]
    latencies = sorted(ms for results in per_board for r in results for ms in r["latencies"])
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    total = {
        key: sum(s[key] for s in summaries)
        for key in ("clients", "edits", "expected", "received", "lost", "acks", "errors")
    }
    return {**total, "p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": latencies[-1]}


# --- 3. idle connections ------------------------------------------------------------------------


def idle_connections(env, boards_file) -> dict:
    process, port = start_daphne(env)
    try:
        time.sleep(2)
        before = rss_mb(process.pid)
        holder = subprocess.Popen(
            [
                rt.PYTHON,
                __file__,
                "idle",
                "--boards",
                boards_file,
                "--url",
                f"ws://127.0.0.1:{port}",
                "--origin",
                f"http://127.0.0.1:{port}",
            ],
            stdout=subprocess.PIPE,
            stdin=subprocess.PIPE,
            text=True,
        )
        opened = json.loads(holder.stdout.readline())
        time.sleep(10)  # presence settles, a heartbeat round passes
        after = rss_mb(process.pid)
        holder.stdin.close()
        holder.wait(timeout=60)
        # Let the server finish a thousand disconnects (each leaves its groups) before it is
        # stopped: stopped halfway, channels-redis logs every cancelled clean-up.
        time.sleep(5)
    finally:
        stop([process])
    count = opened["connected"]
    return {
        "connections": count,
        "failed": opened["failed"],
        "before": before,
        "after": after,
        "per_connection_kb": (after - before) * 1024 / max(count, 1),
        "load": load_average(),
        "connect_s": opened["seconds"],
    }


async def hold_idle(args, boards):
    gate, sockets, failed = asyncio.Semaphore(20), [], 0
    began = time.monotonic()

    async def open_one(board, session):
        nonlocal failed
        async with gate:
            try:
                ws = await rt.connect_retrying(
                    f"{args.url}/ws/maps/{board['map']}/",
                    {"Cookie": f"sessionid={session}"},
                    args.origin,
                )
            except Exception:
                failed += 1
                return
        sockets.append(ws)
        asyncio.create_task(drain_and_ping(ws))

    await asyncio.gather(
        *(
            open_one(board, session)
            for board in boards
            for session in board["sessions"]
            for _ in range(IDLE_TABS)
        )
    )
    print(
        json.dumps(
            {"connected": len(sockets), "failed": failed, "seconds": time.monotonic() - began}
        ),
        flush=True,
    )
    await asyncio.to_thread(sys.stdin.read)  # until the orchestrator has measured
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


async def drain_and_ping(ws):
    """An open board that nobody touches: it reads what comes and pings every 10 s."""

    async def drain():
        async for _ in ws:
            pass

    reader = asyncio.create_task(drain())
    try:
        while not reader.done():
            await asyncio.sleep(10)
            await ws.send('{"type":"ping"}')
    except Exception:
        pass


# --- 4. the whole board over the API ------------------------------------------------------------


def api_board(runs=30) -> dict:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from workshops import services

    host = User.objects.create_user(f"api-{secrets.token_hex(3)}", first_name="Host")
    workshop = services.workshop_create(actor=host, name="API benchmark")
    board = services.map_create(actor=host, workshop=workshop, title="Big map", template="b2c")
    for index in range(12 - board.stages.count()):
        services.stage_create(actor=host, map=board, title=f"Stage {index + 8}")
    stages, lanes = list(board.stages.all()), list(board.lanes.all())
    for index in range(300):
        services.card_create(
            actor=host,
            map=board,
            stage_id=stages[index % 12].pk,
            lane_id=lanes[index // 12 % len(lanes)].pk,
            text=f"Card {index} " * 4,
        )
    client = Client()
    client.force_login(host)
    url = f"/api/maps/{board.pk}/"
    assert client.get(url).status_code == 200  # warm: templates, serializers, connection
    times, size = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        size = len(response.content)
    return {
        "stages": len(stages),
        "lanes": len(lanes),
        "cards": board.cards.count(),
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "queries": len(queries),
        "kb": size / 1024,
        "load": load_average(),
    }


# --- the orchestra ------------------------------------------------------------------------------


def orchestrate(args):
    database, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith("postgres") or not redis:
        raise SystemExit(
            "Run it on PostgreSQL and Redis: scripts/with-services .venv/bin/python "
            "bench/scale.py (or set DATABASE_URL and REDIS_URL yourself)."
        )
    scratch = tempfile.mkdtemp(prefix="cjm-scale-")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "cjm.settings"),
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    try:
        measure(args, env, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def measure(args, env, scratch):
    report = {"machine": machine()}

    def wanted(name):
        return args.only in (None, name)

    boards_file = f"{scratch}/boards.json"
    if wanted("two") or wanted("boards") or wanted("room"):
        servers = [start_daphne(env) for _ in range(2)]
        try:
            if wanted("two"):
                report["two"] = two_processes(args, servers, scratch)
            if wanted("room"):
                report["room"] = big_room(args, servers, scratch)
            if wanted("boards"):
                Path(boards_file).write_text(
                    json.dumps([rt.make_board(10, 10) for _ in range(args.board_count)])
                )
                report["boards"] = many_boards(args, servers, boards_file)
        finally:
            stop([process for process, _ in servers])
    if wanted("idle"):
        if not Path(boards_file).exists():
            Path(boards_file).write_text(
                json.dumps([rt.make_board(10, 0) for _ in range(IDLE_BOARDS)])
            )
        report["idle"] = idle_connections(env, boards_file)
    if wanted("api"):
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        report["api"] = api_board()
    text = markdown(report, args)
    print(text)
    if args.write_doc:
        write_doc(text)


def machine() -> str:
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    versions = subprocess.run(
        [
            "bash",
            "-c",
            "postgres --version 2>/dev/null || "
            "$(ls -d /usr/lib/postgresql/*/bin | tail -1)/postgres --version; "
            "redis-server --version",
        ],
        capture_output=True,
        text=True,
    ).stdout
    pg = re.search(r"\(PostgreSQL\) (\S+)", versions)
    redis = next((word[2:] for word in versions.split() if word.startswith("v=")), "?")
    return (
        f"{rt.machine()}, {memory:.0f} GB memory, PostgreSQL {pg[1] if pg else '?'}, Redis {redis}"
    )


def latency_rows(results) -> list[str]:
    rows = []
    floors = {r["scenario"]: r["p95"] for r in results if r["target"] == "relay"}
    for r in results:
        server = "bare relay" if r["target"] == "relay" else "2 x Daphne + Redis"
        floor = floors.get(r["scenario"])
        ratio = f"{r['p95'] / floor:.1f}x" if floor else ""
        rows.append(
            f"| {r['scenario']} | {server} | {r['edits']} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.0f} | "
            f"{r['lost']} of {r['expected']} | {r['errors']} | {r['server_cpu']:.0f}% | "
            f"{ratio} | {r['load']} |"
        )
    return rows


def markdown(report, args) -> str:
    lines = [
        "## Production",
        "",
        f"`bench/scale.py` (run through `scripts/with-services`), {args.duration:.0f} s per "
        "load run. Machine: " + report["machine"] + ". Load average (1 / 5 / 15 min) at "
        "the end of each run: the machine was shared.",
        "",
    ]
    latency = [
        *report.get("two", []),
        *report.get("room", []),
        *([report["boards"]] if "boards" in report else []),
    ]
    if latency:
        lines += [
            "Edit-to-peer latency in ms over every delivery; lost = deliveries expected "
            "minus received; server CPU is the Daphne processes' summed share of one core.",
            "",
            "| scenario | server | edits | p50 | p95 | p99 | max | lost | errors | "
            "server CPU | p95 / floor | load |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
            *latency_rows(latency),
            "",
        ]
    if "idle" in report:
        i = report["idle"]
        lines += [
            "| idle connections on one process | RSS before | RSS after | per connection "
            "| connect time | load |",
            "|---|---|---|---|---|---|",
            f"| {i['connections']} ({i['failed']} failed) | {i['before']:.0f} MB | "
            f"{i['after']:.0f} MB | {i['per_connection_kb']:.0f} KB | "
            f"{i['connect_s']:.0f} s | {i['load']} |",
            "",
        ]
    if "api" in report:
        a = report["api"]
        lines += [
            "| GET /api/maps/{id}/ | server time (median of 30) | max | queries | body | load |",
            "|---|---|---|---|---|---|",
            f"| {a['stages']} stages, {a['lanes']} lanes, {a['cards']} cards | "
            f"{a['median_ms']:.1f} ms | {a['max_ms']:.1f} ms | {a['queries']} | "
            f"{a['kb']:.0f} KB | {a['load']} |",
            "",
        ]
    return "\n".join(lines)


def write_doc(report: str):
    write_section(f"{DOC_START}\n{report}{DOC_END}", DOC_START, DOC_END)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "load-many", "idle"])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--only", choices=["two", "room", "boards", "idle", "api"])
    parser.add_argument("--write-doc", action="store_true")
    parser.add_argument("--board-count", type=int, default=20, help="boards for scenario 2")
    parser.add_argument(
        "--two-rate",
        type=float,
        default=2.0,
        help="edits/s per client of scenario 1, to find where one board saturates",
    )
    parser.add_argument("--profile", help=argparse.SUPPRESS)  # read by bench/realtime.py
    # For the load processes:
    parser.add_argument("--boards")
    parser.add_argument("--url")
    parser.add_argument("--origin")
    parser.add_argument("--editors", type=int, default=10)
    parser.add_argument("--viewers", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--drain", type=float, default=2)
    args = parser.parse_args()
    if args.two_rate != 2.0 and args.write_doc:
        parser.error("--write-doc records the target's 2 edits/s only; drop --two-rate")
    args.target = "daphne"
    if args.mode == "load-many":
        print(json.dumps(asyncio.run(load_many(args, json.loads(Path(args.boards).read_text())))))
    elif args.mode == "idle":
        asyncio.run(hold_idle(args, json.loads(Path(args.boards).read_text())))
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
