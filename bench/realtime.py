"""Live-board latency and loss, against the floor of a bare relay.

    .venv/bin/python bench/realtime.py                 # three rooms, ~20 s each, prints a table
    .venv/bin/python bench/realtime.py --write-doc     # ...and puts it in docs/benchmarks.md
    .venv/bin/python bench/realtime.py --only "big board"   # a 5,000-card board's page opening

It starts one Daphne process on a free port (a scratch SQLite database in WAL mode, or the
DATABASE_URL given), migrated, with a demo-sized map and its users made through the services, and
bench/relay.py on another port. For each scenario and each server it runs the load generator in
its own process: N clients on one board, editors sending card.update of their own card at a set
rate, each out of step with the others (random phase and jitter). The edit's text carries the
sender, a sequence number and the time it was sent; every other client notes the time it arrived
(edit-to-peer latency) and which edits it got (deliveries lost = expected - received).
Then a board of 5,000 cards opens on its page in Chromium (Playwright), timed.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from report import write_section  # bench/report.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCENARIOS = [
    # name, editors, viewers, edits per second per editor
    ("30 clients x 2 edits/s", 30, 0, 2.0),
    ("100 viewers + 10 editors x 1 edit/s", 10, 100, 1.0),
    ("200 people: 50 editors x 1 edit/s + 150 viewers", 50, 150, 1.0),
]
EDIT = re.compile(r"bench\|(\d+)\|(\d+)\|([0-9.]+)")
DOC_START, DOC_END = "<!-- live-board:start -->", "<!-- live-board:end -->"


# --- the board: users, sessions, map --------------------------------------------------------


def make_board(clients: int, editors: int) -> dict:
    """Create the users, workshop, map and cards through the services; return what clients need."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from workshops import services
    from workshops.models import Role

    call_command("migrate", verbosity=0)
    tag = secrets.token_hex(3)
    host = User.objects.create_user(f"host-{tag}", first_name="Host")
    workshop = services.workshop_create(actor=host, name="Benchmark workshop")
    board = services.map_create(actor=host, workshop=workshop, title="Benchmark board")
    stages, lanes = list(board.stages.all()), list(board.lanes.all())
    people = []
    for index in range(clients):
        user = User.objects.create_user(f"bench-{tag}-{index}", first_name=f"Bench {index}")
        role = Role.EDITOR if index < editors else Role.VIEWER
        services.membership_set(actor=host, workshop=workshop, user=user, role=role)
        people.append(user)
    cards = []
    for index in range(max(editors, 60)):  # demo-sized: about 60 cards on 7 x 8 cells
        author = people[index] if index < editors else host
        event = services.card_create(
            actor=author,
            map=board,
            stage_id=stages[index % 7].pk,
            lane_id=lanes[index % 8].pk,
            text=f"Card {index}",
        )
        cards.append(event.payload["card"]["id"])
    return {
        "map": board.pk,
        "cards": cards[:editors],
        "sessions": [
            session_for(user, SessionStore, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY)
            for user in people
        ],
    }


def session_for(user, store_class, user_key, backend_key, hash_key) -> str:
    store = store_class()
    store[user_key] = str(user.pk)
    store[backend_key] = "django.contrib.auth.backends.ModelBackend"
    store[hash_key] = user.get_session_auth_hash()
    store.create()
    return store.session_key


# --- the load generator (its own process) ---------------------------------------------------


async def run_client(index, args, board, results, room):
    headers = {}
    if args.target == "daphne":
        headers["Cookie"] = f"sessionid={board['sessions'][index]}"
    received, latencies = set(), []
    stats = {"sent": 0, "acks": 0, "errors": 0}
    bases = args.url.split(",")  # several servers: clients take turns among them
    base = bases[index % len(bases)]
    url = base if args.target == "relay" else f"{base}/ws/maps/{board['map']}/"
    async with room["gate"]:  # connect in small waves, as a room fills
        ws = await connect_retrying(url, headers, args.origin)

    async def read():
        async for text in ws:
            # An event, or several the server coalesced into one live `events` frame.
            if args.target == "daphne" and not text.startswith('{"type":"event'):
                stats["acks"] += text.startswith('{"type":"ack"')
                stats["errors"] += text.startswith('{"type":"error"')
                continue
            arrived = time.time()
            for match in EDIT.finditer(text):
                if int(match[1]) != index:
                    latencies.append((arrived - float(match[3])) * 1000)
                    received.add((int(match[1]), int(match[2])))

    reader = asyncio.create_task(read())
    room["connected"] += 1
    if room["connected"] == room["clients"]:
        room["start"].set_result(time.time() + args.warmup)
    start_at = await room["start"]
    await write(ws, index, args, board, stats, start_at)
    await asyncio.sleep(args.drain)
    reader.cancel()
    await ws.close()
    results.append({"index": index, "received": received, "latencies": latencies, **stats})


async def connect_retrying(url, headers, origin, attempts=5):
    """As a browser does: on a busy server Daphne drops handshakes it cannot finish in 5 s."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidHandshake

    for attempt in range(attempts):
        try:
            return await connect(
                url,
                additional_headers=headers,
                origin=origin,
                compression=None,
                max_size=2**22,
                open_timeout=60,
            )
        except (OSError, InvalidHandshake) as error:
            if attempt == attempts - 1:
                raise
            print(f"connect failed ({error!r}), retrying", file=sys.stderr)
            await asyncio.sleep(1 + random.random())


async def write(ws, index, args, board, stats, start_at):
    """Editors send at `rate`, each at its own random phase and with jitter; all ping."""
    editor = index < args.editors
    prefix = secrets.token_hex(4)  # op ids are unique per client, across runs too
    period = 1 / args.rate if editor else 10.0
    phase = random.uniform(0, period)
    end = start_at + args.duration
    await asyncio.sleep(max(0, start_at - time.time()))
    step = 0
    while (due := start_at + phase + step * period + random.uniform(-0.2, 0.2) * period) < end:
        await asyncio.sleep(max(0, due - time.time()))
        if editor:
            text = f"bench|{index}|{step}|{time.time():.6f}"
            await ws.send(
                json.dumps(
                    {
                        "type": "card.update",
                        "id": f"{prefix}-{step}",
                        "data": {"card": board["cards"][index], "text": text},
                    }
                )
            )
            stats["sent"] += 1
        else:
            await ws.send('{"type":"ping"}')  # viewers stay on the board by pinging
        step += 1
    await asyncio.sleep(max(0, end - time.time()))  # everyone listens until the end


async def load(args, board):
    """All clients connect; once the last is in, and after a warm-up, the edits begin."""
    clients = args.editors + args.viewers
    room = {
        "gate": asyncio.Semaphore(10),
        "connected": 0,
        "clients": clients,
        "start": asyncio.get_running_loop().create_future(),
    }
    results = []
    await asyncio.gather(*(run_client(i, args, board, results, room) for i in range(clients)))
    return summarise(args, results)


def summarise(args, results) -> dict:
    sent = {r["index"]: r["sent"] for r in results}
    expected = received = 0
    for r in results:
        others = {
            (sender, seq)
            for sender, count in sent.items()
            if sender != r["index"]
            for seq in range(count)
        }
        expected += len(others)
        received += len(others & r["received"])
    latencies = sorted(ms for r in results for ms in r["latencies"])
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if latencies else [0] * 99
    return {
        "clients": len(results),
        "edits": sum(sent.values()),
        "expected": expected,
        "received": received,
        "lost": expected - received,
        "acks": sum(r["acks"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "max": latencies[-1] if latencies else 0,
    }


# --- the orchestra --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listening on port {port} after {timeout} s")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_load(target, url, origin, board_file, name, editors, viewers, rate, args, server_pid):
    command = [
        PYTHON,
        __file__,
        "load",
        "--target",
        target,
        "--url",
        url,
        "--origin",
        origin,
        "--board",
        board_file,
        "--editors",
        str(editors),
        "--viewers",
        str(viewers),
        "--rate",
        str(rate),
        "--duration",
        str(args.duration),
    ]
    before = cpu_seconds(server_pid)
    began = time.time()
    profiler = None
    if args.profile and target == "daphne":
        # Sample Daphne while the load runs (py-spy: pip install py-spy).
        out = Path(args.profile) / f"{name.split()[0]}-{target}.txt"
        profiler = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "py-spy"),
                "record",
                "--pid",
                str(server_pid),
                "--format",
                "raw",
                "--threads",
                "-o",
                str(out),
                "--duration",
                str(int(args.duration) + 2),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=args.duration + 180
    ).stdout
    if profiler:
        profiler.wait()
    result = json.loads(output)
    result["server_cpu"] = (cpu_seconds(server_pid) - before) / (time.time() - began) * 100
    result.update(
        target=target, scenario=name, load="{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    )
    print(
        f"  {target:6} {name}: p50 {result['p50']:.1f} p95 {result['p95']:.1f} "
        f"p99 {result['p99']:.1f} ms, lost {result['lost']}/{result['expected']}, "
        f"acks {result['acks']}, errors {result['errors']}, server CPU {result['server_cpu']:.0f}%",
        flush=True,
    )
    return result


def orchestrate(args):
    scratch = tempfile.mkdtemp(prefix="cjm-bench-")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on the loopback, as docs/deploy.md's trial: no redirect, no Secure cookie.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "cjm.settings"),
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    # WAL lets snapshots read while a change commits; synchronous=NORMAL syncs the WAL at
    # checkpoints rather than at every commit (safe against a crashed process, not a power cut).
    env.setdefault(
        "DATABASE_URL",
        f"sqlite:///{scratch}/bench.sqlite3?init_command="
        "PRAGMA+journal_mode%3DWAL%3BPRAGMA+synchronous%3DNORMAL",
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    scenarios = [custom_scenario(text) for text in args.scenario] or SCENARIOS
    editors = max(e for _, e, _, _ in scenarios)
    clients = max(e + v for _, e, v, _ in scenarios)
    board = make_board(clients, editors)
    opening = not args.only or args.only in OPENING
    if opening:  # the page's scripts, hashed and compressed as in production
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    board_file = f"{scratch}/board.json"
    Path(board_file).write_text(json.dumps(board))

    daphne_port, relay_port = free_port(), free_port()
    daphne = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(daphne_port),
            "-v",
            "0",
            "cjm.asgi:application",
        ],
        cwd=ROOT,
        env=env,
    )
    relay = subprocess.Popen([PYTHON, str(ROOT / "bench/relay.py"), "--port", str(relay_port)])
    results = []
    try:
        wait_for_port(daphne_port, daphne)
        wait_for_port(relay_port, relay)
        for name, editors, viewers, rate in scenarios:
            if args.only and args.only not in name:
                continue
            for target, port, process in (
                ("relay", relay_port, relay),
                ("daphne", daphne_port, daphne),
            ):
                results.append(
                    run_load(
                        target,
                        f"ws://127.0.0.1:{port}",
                        f"http://127.0.0.1:{port}",
                        board_file,
                        name,
                        editors,
                        viewers,
                        rate,
                        args,
                        process.pid,
                    )
                )
        if opening:
            opening = big_board_opening(f"http://127.0.0.1:{daphne_port}")
        stalled = None
        if not args.only or args.only in STALLED:
            stalled = asyncio.run(stalled_reader(daphne_port, daphne.pid, board))
    finally:
        for process in (daphne, relay):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    report = markdown(results, args, env["DATABASE_URL"], opening, stalled)
    print(report)
    if args.write_doc:
        write_doc(report)


# --- a reader that stops reading ------------------------------------------------------------

STALLED = "a reader that stops reading"


async def stalled_reader(port: int, pid: int, board: dict, seconds: float = 45) -> dict:
    """10 editors send 2 KB edits 9 times a second each (under the rate limit) while one viewer
    stops reading (a tiny receive buffer, a queue of one): it must be left behind and then
    closed, the others must get everything, and the server's memory must stay put."""
    import socket as sockets

    from websockets.asyncio.client import connect

    url, origin = f"ws://127.0.0.1:{port}/ws/maps/{board['map']}/", f"http://127.0.0.1:{port}"
    editors = [
        await connect_retrying(url, {"Cookie": f"sessionid={session}"}, origin)
        for session in board["sessions"][:10]
    ]
    raw = sockets.create_connection(("127.0.0.1", port))
    raw.setsockopt(sockets.SOL_SOCKET, sockets.SO_RCVBUF, 4096)
    stuck = await connect(
        url, sock=raw, origin=origin, max_queue=1, max_size=2**22,
        additional_headers={"Cookie": f"sessionid={board['sessions'][10]}"},
    )  # fmt: skip
    heard = [set() for _ in editors]
    readers = [asyncio.create_task(hear(ws, mine, index)) for index, (ws, mine) in
               enumerate(zip(editors, heard, strict=True))]  # fmt: skip
    rss_before, began, sent, closed_after = rss_mb(pid), time.time(), 0, None
    while time.time() - began < seconds:
        for index, ws in enumerate(editors):
            text = f"bench|{index}|{sent}|{time.time():.6f}|".ljust(2000, "y")
            data = {"card": board["cards"][index], "text": text}
            await ws.send(json.dumps({"type": "card.update", "id": f"s-{sent}", "data": data}))
        sent += 1
        if closed_after is None and stuck.state.name == "CLOSED":
            closed_after = time.time() - began
        await asyncio.sleep(1 / 9)
    await asyncio.sleep(2)
    for task in readers:
        task.cancel()
    lost = sum(len(editors) - 1 for _ in range(sent)) * len(editors) - sum(map(len, heard))
    for ws in [*editors, stuck]:
        await ws.close()
    return {"sent": sent * len(editors), "rss_before": rss_before, "rss_after": rss_mb(pid),
            "closed_after": closed_after, "others_lost": lost}  # fmt: skip


async def hear(ws, heard: set, index: int):
    async for text in ws:
        if not text.startswith('{"type":"event'):
            continue  # the snapshot holds the texts of earlier runs' edits
        for match in EDIT.finditer(text):
            if int(match[1]) != index:
                heard.add((int(match[1]), int(match[2])))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- a big board opening in Chromium ------------------------------------------------------

OPENING = "big board opens in Chromium"
BIG_CARDS, BIG_TEXT = 5000, 300


def big_board_opening(base_url: str, runs: int = 3) -> dict:
    """A board of 5,000 cards of 300 characters, opened on its page in Chromium (Playwright):
    from the request to every card drawn, and to the socket live."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from playwright.sync_api import sync_playwright

    host = User.objects.create_user(f"big-{secrets.token_hex(3)}", first_name="Host")
    board = import_big_board(host)
    session = session_for(host, SessionStore, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY)
    drawn, live = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        for _ in range(runs + 1):  # the first warms the browser's and the server's caches
            # bypass_csp: the page's policy forbids the script Playwright evaluates to wait.
            context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
            context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
            page = context.new_page()
            began = time.perf_counter()
            page.goto(f"{base_url}/maps/{board.pk}/", wait_until="commit")
            page.wait_for_function(
                f"document.querySelectorAll('.card').length === {BIG_CARDS}", polling="raf"
            )
            drawn.append(time.perf_counter() - began)
            page.wait_for_function(
                "document.querySelector('#conn-status').textContent === 'Live'", polling="raf"
            )
            live.append(time.perf_counter() - began)
            context.close()
        browser.close()
    size = len(json.dumps(board_json(board, host)))
    return {
        "drawn": statistics.median(drawn[1:]),
        "live": statistics.median(live[1:]),
        "worst": max(live[1:]),
        "mb": size / 1e6,
        "load": "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg()),
    }


def import_big_board(host):
    """Through the map file import: one change, as a real import of such a board would be."""
    from documents import mapfile
    from workshops import services

    workshop = services.workshop_create(actor=host, name="Big board benchmark")
    document = {
        "format": mapfile.FORMAT,
        "version": mapfile.VERSION,
        "map": {"title": "Big board", "description": "", "state": "current", "persona": None},
        "stages": [{"key": f"s{n}", "title": f"Stage {n}", "description": ""} for n in range(10)],
        "lanes": [{"key": f"l{n}", "title": f"Lane {n}", "kind": "text"} for n in range(8)],
        "cards": [
            {"key": f"c{n}", "stage": f"s{n % 10}", "lane": f"l{n // 10 % 8}",
             "text": f"Card {n} ".ljust(BIG_TEXT, "x")}
            for n in range(BIG_CARDS)
        ],
        "evidence": [],
    }  # fmt: skip
    return mapfile.map_import(actor=host, workshop=workshop, data=document)


def board_json(board, viewer) -> dict:
    from workshops.board import board_data, board_of

    return board_data(board_of(board.pk, viewer), viewer)


def custom_scenario(text: str) -> tuple[str, int, int, float]:
    """EDITORS,VIEWERS,RATE from the command line: 30,0,4 to find where a board saturates."""
    editors, viewers, rate = text.split(",")
    name = f"{editors} editors x {rate} edits/s" + (f" + {viewers} viewers" if int(viewers) else "")
    return name, int(editors), int(viewers), float(rate)


def machine() -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")),
        platform.processor(),
    )
    return (
        f"{os.cpu_count()} CPUs (`nproc` {len(os.sched_getaffinity(0))}), {cpu}, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def markdown(results, args, database_url, opening=None, stalled=None) -> str:
    database = database_url.split(":", 1)[0]
    lines = [
        "## Live board",
        "",
        (
            f"`bench/realtime.py`, {args.duration:.0f} s per run, one Daphne process "
            f"({'SQLite in WAL mode' if database == 'sqlite' else database}, in-memory channel "
            "layer), the load generator in its own process. Edit-to-peer latency in ms over every "
            "delivery; lost = deliveries expected (each edit to every other client) minus received."
        ),
        "",
        f"Machine: {machine()}.",
        "",
        "| scenario | server | edits | p50 | p95 | p99 | max | lost | errors | server CPU "
        "| p95 / floor | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    floor = {r["scenario"]: r["p95"] for r in results if r["target"] == "relay"}
    for r in results:
        ratio = r["p95"] / floor[r["scenario"]] if floor.get(r["scenario"]) else 0
        lines.append(
            f"| {r['scenario']} | {'Daphne' if r['target'] == 'daphne' else 'bare relay'} | "
            f"{r['edits']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.0f} | "
            f"{r['lost']} of {r['expected']} | {r['errors']} | {r['server_cpu']:.0f}% | "
            f"{ratio:.1f}x | {r['load']} |"
        )
    if stalled:
        closed = stalled["closed_after"]
        lines += [
            "",
            "A reader that stops reading (a viewer with a 4 KB receive buffer and a queue of one) "
            f"while 10 editors send {stalled['sent']:,} edits of 2 KB in 45 s:",
            "",
            "| server memory before -> after | the stalled socket | the others lost |",
            "|---|---|---|",
            f"| {stalled['rss_before']:.0f} -> {stalled['rss_after']:.0f} MB | "
            + (f"closed after {closed:.0f} s" if closed else "still open")
            + f" | {stalled['others_lost']} |",
        ]
    if opening:
        lines += [
            "",
            f"A board of {BIG_CARDS:,} cards of {BIG_TEXT} characters ({opening['mb']:.1f} MB "
            "of JSON), its page opened in Chromium (median of 3 after a warm-up; the socket's "
            "snapshot is too large for a frame, so it says where the board is, and the page, "
            "which has it already, fetches nothing):",
            "",
            "| every card drawn | board live | worst of 3 | load |",
            "|---|---|---|---|",
            f"| {opening['drawn']:.2f} s | {opening['live']:.2f} s | {opening['worst']:.2f} s "
            f"| {opening['load']} |",
        ]
    return "\n".join(lines) + "\n"


def write_doc(report: str):
    write_section(f"{DOC_START}\n{report}{DOC_END}", DOC_START, DOC_END)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "load"])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--only", help="run only the scenarios whose name contains this")
    parser.add_argument("--write-doc", action="store_true")
    parser.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="EDITORS,VIEWERS,RATE",
        help="run this load instead of the standard ones (not with --write-doc)",
    )
    parser.add_argument("--profile", help="a directory for py-spy profiles of the Daphne runs")
    # For the load process:
    parser.add_argument("--target", choices=["daphne", "relay"])
    parser.add_argument("--url")
    parser.add_argument("--origin")
    parser.add_argument("--board")
    parser.add_argument("--editors", type=int)
    parser.add_argument("--viewers", type=int)
    parser.add_argument("--rate", type=float)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--drain", type=float, default=2)
    args = parser.parse_args()
    if args.scenario and args.write_doc:
        parser.error("--write-doc records the standard scenarios only; drop --scenario")
    if args.mode == "load":
        board = json.loads(Path(args.board).read_text())
        print(json.dumps(asyncio.run(load(args, board))))
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
