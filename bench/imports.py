"""How long a big evidence import takes through the API, and how much the server grows.

    .venv/bin/python bench/imports.py                # prints the table
    .venv/bin/python bench/imports.py --write-doc    # ...and puts it in docs/benchmarks.md

One Daphne process as `make run` starts it (SQLite, the in-memory channel layer, the tasks
worker in a thread of the server), DEBUG off, on a scratch database. For each file, generated in
the shape a tool exports: the preview (POST .../import/preview/), then the import (POST
.../import/ with the proposed mapping and confirm=true, 202) followed at its url until done;
the time is from sending the import to reading `done`, the worker's checking and writing
included. The server's resident memory is sampled every 50 ms: growth is its peak during the
file less what it held before. The target: 100,000 rows under 10 s, growth under 200 MB.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realtime as rt  # noqa: E402  (free ports, waiting for a server, the machine's name)
from report import write_section  # noqa: E402

ROOT = rt.ROOT
DAPHNE = str(Path(rt.PYTHON).parent / "daphne")
DOC_START, DOC_END = "<!-- evidence-import:start -->", "<!-- evidence-import:end -->"
ROWS = 100_000
TARGET_SECONDS, TARGET_MB = 10.0, 200


# --- the files, in the shapes tools export --------------------------------------------------


def long_answers(rows: int, stages: list[str]) -> bytes:
    """A plain table of survey answers, one per row, naming each row's stage."""
    lines = ["Question,Answer,NPS,Segment,Date,Stage"]
    for i in range(rows):
        lines.append(
            f"How likely are you to recommend us?,Answer number {i},{i % 11},"
            f"{'Mobile' if i % 3 else 'Desktop'},2026-10-{i % 28 + 1:02d},{stages[i % len(stages)]}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def typeform(rows: int) -> bytes:
    """Typeform's responses export: a row per respondent, a column per question."""
    lines = [
        "#,How likely are you to recommend us to a friend?,What is the main reason for your "
        "score?,How satisfied are you with delivery?,device,Response Type,Start Date (UTC),"
        "Submit Date (UTC),Network ID,Tags,Ending"
    ]
    for i in range(rows):
        lines.append(
            f"{uuid.UUID(int=i).hex},{i % 11},Reason {i},{i % 5 + 1},"
            f"{'Mobile' if i % 2 else 'Desktop'},completed,2026-10-03 09:11:42,"
            f"2026-10-03 09:14:01,{i:010x},,default_tys"
        )
    return ("\n".join(lines) + "\n").encode()


def ga4_pages(rows: int) -> bytes:
    """GA4's report export: comment lines, a blank line, then a row per page."""
    head = [
        "# ----------------------------------------",
        "# Pages and screens: Page path and screen class",
        "# Account: Fernway",
        "# Property: Fernway web",
        "# ----------------------------------------",
        "#",
        "# All Users",
        "# Start date: 20261001",
        "# End date: 20261031",
        "",
        "Page path and screen class,Views,Users,Bounce rate",
    ]
    body = [f"/products/{i}/,{i % 9973},{i % 4001},{(i % 100) / 100}" for i in range(rows)]
    return ("\n".join(head + body) + "\n").encode()


FILES = [
    ("survey answers, one per row (stage column)", long_answers),
    ("Typeform responses, 2 scored questions + a reason", typeform),
    ("GA4 pages report, 3 numbers per row", ga4_pages),
]


# --- the server and the client --------------------------------------------------------------


def prepare(scratch: Path) -> dict:
    """Migrate the scratch database and make an editor, a workshop and a map, in a child
    process (Django set up there, not here, so that this process stays a plain client)."""
    script = (
        "import django, json; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.contrib.auth.models import User\n"
        "from workshops import services\n"
        "from workshops.services.accounts import token_create\n"
        "user = User.objects.create_user('bench-import', first_name='Bench')\n"
        "workshop = services.workshop_create(actor=user, name='Import benchmark')\n"
        "board = services.map_create(actor=user, workshop=workshop, title='Imports')\n"
        "stages = [[s.pk, s.title] for s in board.stages.all()]\n"
        "print(json.dumps({'map': board.pk, 'token': token_create(user=user)[1],"
        " 'stages': stages}))\n"
    )
    out = subprocess.run(
        [rt.PYTHON, "-c", script],
        cwd=ROOT,
        env=server_env(scratch),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def server_env(scratch: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cjm.settings", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    return env | {
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(scratch / "media"),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "TASKS_IN_PROCESS": "1",
    }


class Client:
    def __init__(self, port: int, token: str, map_id: int):
        self.base = f"http://127.0.0.1:{port}/api/maps/{map_id}/evidence"
        self.token = token

    def call(self, path: str, fields: dict | None = None, data: bytes | None = None) -> dict:
        body, headers = None, {"Authorization": f"Token {self.token}"}
        if fields is not None:
            body, content_type = multipart(fields, data)
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())


def multipart(fields: dict, data: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="export.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


class MemoryWatch:
    """The server's resident memory, sampled in a thread, while a file goes in."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.running = pid, 0.0, True
        self.start = rss_mb(pid)
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.05)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return max(self.peak, rss_mb(self.pid)) - self.start


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure_file(client: Client, pid: int, stages: list, label: str, content: bytes) -> dict:
    watch = MemoryWatch(pid)
    started = time.perf_counter()
    found = client.call("/import/preview/", {}, content)
    previewed = time.perf_counter() - started
    target = {"stage_column": "Stage"} if found["stage_column"] else {"stage": stages[2][0]}
    started = time.perf_counter()
    run = client.call(
        "/import/",
        {"mapping": json.dumps(found["mapping"]), "confirm": "true", **target},
        content,
    )
    while run["status"] not in ("done", "failed"):
        time.sleep(0.05)
        run = client.call(f"/imports/{run['id']}/")
    took = time.perf_counter() - started
    grown = watch.stop()
    if run["status"] != "done":
        raise SystemExit(f"{label}: the import failed: {run['error']}")
    return {
        "file": label,
        "rows": found["rows"],
        "megabytes": len(content) / 1e6,
        "pieces": run["report"]["imported"],
        "preview": previewed,
        "import": took,
        "grown": grown,
        "load": f"{os.getloadavg()[0]:.1f}",
    }


def measure(rows: int) -> tuple[list[dict], str]:
    scratch = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    try:
        made = prepare(scratch)
        port = rt.free_port()
        server = subprocess.Popen(
            [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "-v", "0", "cjm.asgi:application"],
            cwd=ROOT,
            env=server_env(scratch),
        )
        try:
            rt.wait_for_port(port, server)
            client = Client(port, made["token"], made["map"])
            titles = [title for _, title in made["stages"]]
            results = []
            for label, build in FILES:
                content = build(rows, titles) if build is long_answers else build(rows)
                results.append(measure_file(client, server.pid, made["stages"], label, content))
            return results, rt.machine()
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def markdown(results: list[dict], machine: str, rows: int) -> str:
    lines = [
        DOC_START,
        "## Evidence import",
        "",
        f"`bench/imports.py`, {machine}. One Daphne process as `make run` starts it (SQLite, "
        "in-memory channel layer, the tasks worker in a thread of the server), DEBUG off. Import: "
        "from sending the file with the proposed mapping to reading `done`, the worker's checking "
        "and writing included. Growth: the server's peak resident memory during the file, less "
        f"what it held before. Target: {rows:,} rows under {TARGET_SECONDS:.0f} s, growth under "
        f"{TARGET_MB} MB.",
        "",
        "| file | rows | MB | pieces | preview s | import s | growth MB | load | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        met = r["import"] < TARGET_SECONDS and r["grown"] < TARGET_MB
        lines.append(
            f"| {r['file']} | {r['rows']:,} | {r['megabytes']:.1f} | {r['pieces']:,} | "
            f"{r['preview']:.1f} | {r['import']:.1f} | {r['grown']:.0f} | {r['load']} | "
            f"{'met' if met else 'missed'} |"
        )
    lines += ["", "Run it with `.venv/bin/python bench/imports.py --write-doc`.", DOC_END]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--write-doc", action="store_true")
    args = parser.parse_args()
    results, machine = measure(args.rows)
    table = markdown(results, machine, args.rows)
    print(table)
    if args.write_doc:
        write_section(table, DOC_START, DOC_END)


if __name__ == "__main__":
    main()
