"""What the server says of itself. Daphne sends `Server: daphne` (its name, no version) unless
it is started with --no-server-name, as `make run` and the systemd unit of docs/deploy.md do;
the application adds no banner of its own."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAPHNE = str(Path(sys.executable).parent / "daphne")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def headers_from_daphne(*options: str) -> dict:
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cjm.settings", "LOG_LEVEL": "ERROR"}
    command = [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "-v", "0", *options]
    process = subprocess.Popen([*command, "cjm.asgi:application"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:  # the licence page reads no database
                url = f"http://127.0.0.1:{port}/source/LICENSE"
                with urllib.request.urlopen(url, timeout=5) as response:
                    return dict(response.headers)
            except OSError:
                assert process.poll() is None, "Daphne exited"
                assert time.monotonic() < deadline, "Daphne did not answer"
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("options", "banner"), [(("--no-server-name",), None), ((), "daphne")], ids=["as run", "bare"]
)
def test_daphne_tells_no_version_and_as_run_nothing_at_all(options, banner):
    headers = headers_from_daphne(*options)

    assert headers.get("Server") == banner
    assert "Permissions-Policy" in headers
    assert not any(key.lower() in ("x-powered-by", "via") for key in headers)
