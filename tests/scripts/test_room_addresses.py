"""`make run HOST=...`: the addresses the room opens, and the settings that let them in."""

import os
import subprocess
import sys

from django.conf import settings

SCRIPT = settings.BASE_DIR / "scripts" / "room_addresses.py"


def room(host: str, **environment) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in ("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS")
    }
    return subprocess.run(
        [sys.executable, SCRIPT, "--host", host, "--port", "8123"],
        capture_output=True,
        text=True,
        check=True,
        env={**env, **environment},
    )


def settings_after(host: str) -> list[str]:
    """ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS as Django reads them after the Makefile's eval."""
    shell = (
        f'eval "$({sys.executable} {SCRIPT} --host {host} --port 8123 2>/dev/null)" && '
        f"{sys.executable} -c 'from django.conf import settings as s; "
        "print(s.ALLOWED_HOSTS); print(s.CSRF_TRUSTED_ORIGINS)'"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cjm.settings"}
    env.pop("ALLOWED_HOSTS", None)
    env.pop("CSRF_TRUSTED_ORIGINS", None)
    done = subprocess.run(
        ["bash", "-c", shell],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=settings.BASE_DIR,
    )
    return done.stdout.splitlines()


def test_serving_this_machine_alone_says_how_to_serve_the_room():
    done = room("127.0.0.1")
    assert done.stdout == ""  # the defaults already cover this machine
    assert "http://127.0.0.1:8123/" in done.stderr
    assert "make run HOST=0.0.0.0" in done.stderr
    assert "demo / demo" in done.stderr


def test_an_address_of_the_room_is_printed_and_let_in():
    done = room("192.168.7.20")
    assert "People in the room open http://192.168.7.20:8123/" in done.stderr
    hosts, origins = settings_after("192.168.7.20")
    assert "'192.168.7.20'" in hosts and "'127.0.0.1'" in hosts and "'localhost'" in hosts
    assert origins == "['http://192.168.7.20:8123']"


def test_hosts_already_set_are_kept():
    done = room("192.168.7.20", ALLOWED_HOSTS="maps.example.org")
    assert "export ALLOWED_HOSTS=192.168.7.20,maps.example.org" in done.stdout


def test_every_address_names_this_machines_lan_addresses_or_says_there_are_none():
    done = room("0.0.0.0")
    addresses = [line for line in done.stderr.splitlines() if "People in the room open" in line]
    assert addresses or "No LAN address found" in done.stderr
    assert all("127." not in line for line in addresses)
